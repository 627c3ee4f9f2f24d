import { useState } from 'preact/hooks';
import { api, must, type Schemas } from '../../api/client';
import { DataTable, type Columns } from '../../components/data-table';
import { Pager, usePages } from '../../components/pager';
import { Empty, Show } from '../../components/states';
import { formatDate } from '../../format';
import { hrefOf } from '../../router';
import { useApi } from '../../use-api';

type Person = Schemas['PersonSummaryDto'];

const columns: Columns<Person> = [
  {
    accessorKey: 'name',
    header: 'Name',
    cell: (info) => (
      <a href={hrefOf({ page: 'person', personId: info.row.original.personId })}>{info.row.original.name}</a>
    ),
  },
  { accessorKey: 'personId', header: 'Id' },
  { accessorKey: 'sponsorId', header: 'Sponsor', cell: (info) => info.row.original.sponsorId ?? '—' },
  { accessorKey: 'recruitedAt', header: 'Recruited', cell: (info) => formatDate(info.row.original.recruitedAt) },
];

/** Find a person by id or name, a page at a time. */
export function PeoplePage() {
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const pages = usePages();
  const cursor = pages.cursor;
  const page = useApi(
    () => must(api.GET('/people', { params: { query: { search: query || undefined, cursor, limit: 25 } } })),
    [query, cursor],
  );
  return (
    <section>
      <h1>People</h1>
      <form
        role="search"
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          pages.first();
          setQuery(search.trim());
        }}
      >
        <label for="people-search">Id or name</label>
        <input id="people-search" type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        <button type="submit">Search</button>
      </form>
      <Show loaded={page} what="people">
        {(data) =>
          data.people.length === 0 ? (
            <Empty>No one {query ? `matches “${query}”` : 'has been recruited yet'}.</Empty>
          ) : (
            <>
              <DataTable caption="People, by id" columns={columns} rows={data.people} sortable />
              <Pager pages={pages} nextCursor={data.nextCursor} />
            </>
          )
        }
      </Show>
    </section>
  );
}
