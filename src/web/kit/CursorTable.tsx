import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';
import { Button, Table, type TableProps } from 'antd';

/** A keyset-paged list of the API (`{ items, nextCursor }`): its rows so far and the next page on demand. */
export function useCursorList<T>(queryKey: QueryKey, fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>, opts: { refetchInterval?: number } = {}) {
  const q = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (p) => p.nextCursor ?? undefined,
    ...(opts.refetchInterval ? { refetchInterval: opts.refetchInterval } : {}),
  });
  return { rows: q.data?.pages.flatMap((p) => p.items) ?? [], loading: q.isPending, hasMore: q.hasNextPage, loadMore: () => void q.fetchNextPage(), query: q };
}

/** The table of a cursor list, with 加载更多 under it while more pages exist. */
export function CursorTable<T extends object>({ list, ...props }: { list: ReturnType<typeof useCursorList<T>> } & Omit<TableProps<T>, 'dataSource' | 'loading' | 'pagination'>) {
  return (
    <>
      <Table<T> size="middle" {...props} dataSource={list.rows} loading={list.loading} pagination={false} />
      {list.hasMore && <Button style={{ marginTop: 12 }} onClick={list.loadMore}>加载更多</Button>}
    </>
  );
}
