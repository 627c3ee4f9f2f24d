// Type-level checks that keep a description (an OpenAPI enum, an answer class) from falling behind its type.
/**
 * Every member of a string union, for an `enum` in the document: a member added to the union and not
 * listed here fails to compile, so the document cannot fall behind the type.
 */
export const everyOf =
  <T extends string>() =>
  <const A extends readonly T[]>(...values: A & ([Exclude<T, A[number]>] extends [never] ? unknown : never)): T[] => [
    ...values,
  ];

/** True only when A and B are the same type: pins an answer class to the type the code really returns. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
