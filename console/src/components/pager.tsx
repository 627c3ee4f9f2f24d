// Paging with the API's cursors, the same on every paged table: the cursors of the pages before this one
// are kept, so Previous goes back exactly and Next continues after the last line shown.
import { useState } from 'preact/hooks';

export interface Pages {
  /** The cursor of the page shown (undefined: the first). */
  readonly cursor: string | undefined;
  readonly hasPrevious: boolean;
  readonly previous: () => void;
  readonly next: (nextCursor: string) => void;
  /** Back to the first page (when the query changes). */
  readonly first: () => void;
}

export function usePages(): Pages {
  const [cursors, setCursors] = useState<readonly string[]>([]);
  return {
    cursor: cursors[cursors.length - 1],
    hasPrevious: cursors.length > 0,
    previous: () => setCursors(cursors.slice(0, -1)),
    next: (nextCursor) => setCursors([...cursors, nextCursor]),
    first: () => setCursors([]),
  };
}

export function Pager({ pages, nextCursor }: { pages: Pages; nextCursor: string | null }) {
  return (
    <div class="pager">
      <button type="button" disabled={!pages.hasPrevious} onClick={pages.previous}>
        Previous
      </button>
      <button type="button" disabled={nextCursor === null} onClick={() => nextCursor && pages.next(nextCursor)}>
        Next
      </button>
    </div>
  );
}
