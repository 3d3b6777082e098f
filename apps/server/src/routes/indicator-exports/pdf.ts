/** The indicator dashboard as an A4 landscape PDF: the KPI table, the 766 table and the child units. */
import { formatDate, formatInteger, formatTime, renderTableReport } from '@tinhso/pdf';
import { kpis, pctText, periodText, REPORT_TITLE, type Summary } from './report.js';

const decText = (x: number | null, digits = 2) => (x === null ? '—' : x.toFixed(digits).replace('.', ','));

export function indicatorsToPdf(s: Summary, generatedAt: Date): Promise<Buffer> {
  const int = (n: number | null) => (n === null ? '—' : formatInteger(n));
  return renderTableReport({
    title: REPORT_TITLE,
    author: s.unit.name,
    now: generatedAt,
    facts: [
      { label: 'Đơn vị', value: `${s.unit.name} (${s.unit.code})` },
      { label: 'Kỳ', value: periodText(s.period) },
      {
        label: 'Lập lúc',
        value: `${formatTime(generatedAt)} ngày ${formatDate(generatedAt)} (giờ Việt Nam)`,
      },
      {
        label: 'Điểm Bộ chỉ số 766',
        value: `${decText(s.score.total)} / ${s.score.max} điểm của các chỉ tiêu đã có (thang chính thức ${s.score.officialMax})`,
      },
    ],
    sections: [
      {
        heading: '1. Chỉ số phục vụ',
        columns: [
          { header: 'STT', weight: 4, align: 'center' },
          { header: 'Chỉ số', weight: 34 },
          { header: 'Số lượng', weight: 10, align: 'right' },
          { header: 'Tỷ lệ', weight: 9, align: 'right' },
          { header: 'Cách tính', weight: 30 },
        ],
        rows: [
          ...kpis(s).map((k, i) => [
            String(i + 1),
            k.label,
            int(k.count),
            k.share === undefined ? '' : pctText(k.share),
            k.how ?? '',
          ]),
          [
            String(kpis(s).length + 1),
            'Số ngày làm việc bình quân từ tiếp nhận đến giải quyết',
            decText(s.shares.meanWorkDays, 1),
            '',
            'tổng số ngày làm việc ÷ số hồ sơ đã giải quyết',
          ],
        ],
      },
      {
        heading: '2. Bộ chỉ số 766 (Quyết định 766/QĐ-TTg)',
        columns: [
          { header: 'Nhóm', weight: 22 },
          { header: 'Chỉ tiêu', weight: 35 },
          { header: 'Tử số', weight: 7, align: 'right' },
          { header: 'Mẫu số', weight: 7, align: 'right' },
          { header: 'Tỷ lệ', weight: 8, align: 'right' },
          { header: 'Điểm', weight: 7, align: 'right' },
          { header: 'Tối đa', weight: 7, align: 'right' },
          { header: 'Bị mất', weight: 7, align: 'right' },
          { header: 'Phiên bản', weight: 7, align: 'center' },
        ],
        rows: [
          ...s.score.groups.flatMap((g) =>
            g.items.map((i) => [
              `${g.code} — ${g.label}`,
              i.label,
              int(i.numerator),
              int(i.denominator),
              pctText(i.share),
              decText(i.points),
              decText(i.max),
              decText(i.lost),
              String(i.version),
            ]),
          ),
          [
            'Tổng cộng',
            `Tổng điểm (thang chính thức ${s.score.officialMax})`,
            '',
            '',
            '',
            decText(s.score.total),
            decText(s.score.max),
            decText(s.score.max - s.score.total),
            '',
          ],
        ],
      },
      {
        heading: '3. Các đơn vị trực thuộc',
        empty: '(Đơn vị không có đơn vị trực thuộc.)',
        columns: [
          { header: 'Mã', weight: 8 },
          { header: 'Tên đơn vị', weight: 30 },
          { header: 'Tiếp nhận', weight: 8, align: 'right' },
          { header: 'Trực tuyến', weight: 8, align: 'right' },
          { header: 'Đã giải quyết', weight: 8, align: 'right' },
          { header: 'Đúng hạn', weight: 8, align: 'right' },
          { header: 'Quá hạn', weight: 7, align: 'right' },
          { header: 'Đang quá hạn', weight: 7, align: 'right' },
          { header: 'Hài lòng', weight: 8, align: 'right' },
          { header: 'Điểm 766', weight: 8, align: 'right' },
        ],
        rows: s.children.map((c) => [
          c.unit.code,
          c.unit.name,
          int(c.counts.received),
          pctText(c.shares.online),
          int(c.counts.resolved),
          pctText(c.shares.onTime),
          int(c.counts.late),
          int(c.counts.inProgressOverdue),
          pctText(c.shares.satisfied),
          decText(c.score.total),
        ]),
        note: 'Trực tuyến, đúng hạn, hài lòng: tỷ lệ (%). Số liệu theo hồ sơ tiếp nhận trong kỳ.',
      },
    ],
  });
}
