// The fields of the pay cycle's answers the pages read (docs/pay-cycle.md). Those routes do not declare their
// answers in the OpenAPI document yet, so these few are written here; when they do, this file gives way to
// the generated schema.

export interface PeriodStatement {
  readonly personId: string;
  readonly currency: string;
  readonly qualified: boolean;
  readonly personalVolume: string;
  readonly opening: string;
  readonly earned: string;
  readonly notQualified: string;
  readonly closing: string;
  readonly paidBefore: string;
  readonly forfeited: string;
  readonly heldForRefundWindow: string;
  readonly held: string;
  readonly carried: string;
  readonly payable: string;
  readonly payableReason: string;
}

export interface PeriodTotals {
  readonly currency: string;
  readonly opening: string;
  readonly earned: string;
  readonly notQualified: string;
  readonly adjustments: string;
  readonly closing: string;
}

/** GET /periods/{period}/close-preview and /statements (JSON). */
export interface SealedPeriod {
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly status: 'preview' | 'closed';
  readonly closedAt?: string;
  readonly asOfPosition: string;
  readonly statementDigest: string;
  readonly totals: PeriodTotals[];
  readonly statements: PeriodStatement[];
}

/** GET /periods/{period}. */
export interface PeriodStatus {
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly status: 'open' | 'closed';
  readonly close: { readonly operator: string; readonly closedAt: string; readonly position: string } | null;
}

export interface PersonPeriodLine {
  readonly kind: string;
  readonly rule: string;
  readonly amount: string;
  readonly currency: string;
  readonly occurredAt: string;
  readonly counted: string;
  readonly source: { readonly position: string; readonly eventType: string };
}

/** GET /people/{personId}/periods/{period}: projected while open, the sealed statement once closed. */
export type PersonPeriod =
  | {
      readonly status: 'open';
      readonly basis: 'projected';
      readonly position: string;
      readonly qualification: {
        readonly qualified: boolean;
        readonly personalVolume: { currency: string; volume: string; minimum: string | null }[];
      };
      readonly totals: {
        currency: string;
        oneOff: string;
        residual: string;
        passive: string;
        earned: string;
        notQualified: string;
      }[];
      readonly lines: PersonPeriodLine[];
    }
  | {
      readonly status: 'closed';
      readonly basis: 'final';
      readonly position: string;
      readonly closedAt: string;
      readonly statementDigest: string;
      readonly statements: PeriodStatement[];
    };
