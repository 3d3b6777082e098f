// The view of the operations dashboard in the address: ?unit=&period=&kind=&wall=1.
export const KINDS = [
  'month',
  'quarter',
  'year',
  'report_month',
  'report_quarter',
  'report_half',
  'report_year',
  'custom',
];

// ---- the address ----
export function readAddress(query) {
  const kind = query.get('kind') ?? '';
  return {
    unit: (query.get('unit') ?? '').trim(),
    period: (query.get('period') ?? '').trim(),
    kind: KINDS.includes(kind) ? kind : '',
    wall: query.get('wall') === '1',
  };
}
export function viewQuery(v, extra = {}) {
  const p = new URLSearchParams();
  if (v.unit) p.set('unit', v.unit);
  if (v.period) p.set('period', v.period);
  if (v.kind) p.set('kind', v.kind);
  for (const [k, x] of Object.entries(extra)) if (x !== undefined && x !== null && x !== '') p.set(k, x);
  return p.toString();
}
export const pageHref = (v) => {
  const q = viewQuery(v, { wall: v.wall ? '1' : '' });
  return `/can-bo/dieu-hanh${q ? `?${q}` : ''}`;
};
