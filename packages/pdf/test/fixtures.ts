/** Realistic inputs for every document (a death registration at a ward of Nghệ An, November 2026). */
import type {
  ApologyInput,
  ControlSheetInput,
  DecisionInput,
  DocumentResultInput,
  ReceiptInput,
  RefusalInput,
  RegisterInput,
  RegisterRow,
  SupplementRequestInput,
} from '../src/index.js';

export const NOW = '2026-11-24T09:15:00+07:00';
export const CODE = 'H41.50-261124-0007';
export const STATUS_URL = `https://dichvucong.nghean.gov.vn/tra-cuu/ho-so/${CODE}`;
export const VERIFY_URL = 'https://tinhso.nghean.gov.vn/xac-thuc/VB-2026-0000157';

export const issuer = {
  parent: 'Ủy ban nhân dân phường Trường Vinh',
  name: 'Trung tâm Phục vụ hành chính công',
  place: 'Vinh',
};
export const ward = { name: 'Ủy ban nhân dân\nphường Trường Vinh', place: 'Vinh' };

export const applicant = {
  name: 'Nguyễn Thị Hường',
  address: 'Số 12, đường Lê Hồng Phong, phường Trường Vinh, tỉnh Nghệ An',
  phone: '0912 345 678',
  email: 'huong.nt@example.vn',
  idNumber: '040190001234',
};
export const procedure = { name: 'Thủ tục đăng ký khai tử', code: '1.000656' };

export const receipt: ReceiptInput = {
  issuer,
  number: '0007/TNHS',
  now: NOW,
  dossierCode: CODE,
  applicant,
  procedure,
  receivingUnit: 'Trung tâm Phục vụ hành chính công phường Trường Vinh',
  components: [
    { name: 'Tờ khai đăng ký khai tử (theo mẫu)', originals: 1, copies: 0 },
    {
      name: 'Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử do cơ quan có thẩm quyền cấp',
      originals: 1,
      copies: 1,
      note: 'Đã số hóa',
    },
    { name: 'Giấy tờ tùy thân của người đi khai tử', originals: 0, copies: 1, note: 'Xuất trình bản chính' },
  ],
  processingDays: 1,
  receivedAt: '2026-11-24T08:30:00+07:00',
  appointmentAt: '2026-11-25T16:00:00+07:00',
  returnAt: 'Trung tâm Phục vụ hành chính công phường Trường Vinh',
  register: { book: '01', entry: 7 },
  statusUrl: STATUS_URL,
  receiver: { name: 'Trần Văn Đức' },
};

export const supplement: SupplementRequestInput = {
  issuer,
  number: '0003/YCBS',
  now: NOW,
  dossierCode: CODE,
  applicant,
  procedure,
  receivingUnit: 'Trung tâm Phục vụ hành chính công phường Trường Vinh',
  receivedAt: '2026-11-24T08:30:00+07:00',
  items: [
    'Bản chính Giấy báo tử do Bệnh viện Hữu nghị Đa khoa Nghệ An cấp',
    'Tờ khai đăng ký khai tử còn thiếu chữ ký của người đi khai tử',
    'bản chính giấy báo tử do Bệnh viện Hữu nghị Đa khoa Nghệ An cấp.',
    '   ',
  ],
  reason: 'Hồ sơ chưa đầy đủ thành phần theo quy định tại Điều 34 Luật Hộ tịch.',
  contact: { name: 'ông Trần Văn Đức', phone: '0238 3844 123' },
  officer: { name: 'Trần Văn Đức' },
};

export const refusal: RefusalInput = {
  issuer,
  number: '0001/TC',
  now: NOW,
  dossierCode: CODE,
  applicant,
  procedure,
  submittedAt: '2026-11-24T08:30:00+07:00',
  reasons: [
    'Người chết có nơi cư trú cuối cùng tại xã Nghi Lộc, không thuộc thẩm quyền đăng ký khai tử của Ủy ban nhân dân phường Trường Vinh (Điều 32 Luật Hộ tịch).',
    'Việc khai tử đã được đăng ký tại Ủy ban nhân dân xã Nghi Lộc ngày 20/11/2026.',
  ],
  officer: { name: 'Trần Văn Đức' },
};

export const apology: ApologyInput = {
  issuer: { name: 'Ủy ban nhân dân\nphường Trường Vinh', place: 'Vinh' },
  number: '05/PXL-UBND',
  now: NOW,
  dossierCode: CODE,
  applicant,
  procedure,
  agency: 'Ủy ban nhân dân phường Trường Vinh',
  receivedAt: '2026-11-20T08:30:00+07:00',
  previousDueAt: '2026-11-25T16:00:00+07:00',
  newDueAt: '2026-11-27T16:00:00+07:00',
  reason: 'Cần xác minh thông tin về nơi cư trú cuối cùng của người chết với Công an phường Trường Vinh.',
  signer: { capacity: 'KT. Chủ tịch', title: 'Phó Chủ tịch', name: 'Lê Văn Minh' },
  recipients: ['Như trên', 'Trung tâm Phục vụ hành chính công phường', 'Lưu: VT'],
};

export const controlSheet: ControlSheetInput = {
  issuer,
  number: '0007/PKS',
  now: NOW,
  dossierCode: CODE,
  receiptNumber: '0007/TNHS',
  applicant,
  procedure,
  leadAgency: 'Ủy ban nhân dân phường Trường Vinh',
  receivedAt: '2026-11-24T08:30:00+07:00',
  dueAt: '2026-11-25T16:00:00+07:00',
  handOvers: [
    {
      step: 'Tiếp nhận, chuyển hồ sơ',
      from: { unit: 'Trung tâm Phục vụ hành chính công', person: 'Trần Văn Đức' },
      to: { unit: 'Công chức Tư pháp - Hộ tịch', person: 'Phạm Thị Lan' },
      at: '2026-11-24T08:45:00+07:00',
      dueAt: '2026-11-24T16:00:00+07:00',
      timing: 'early',
    },
    {
      step: 'Thẩm định hồ sơ, trình ký',
      from: { unit: 'Công chức Tư pháp - Hộ tịch', person: 'Phạm Thị Lan' },
      to: { unit: 'Lãnh đạo Ủy ban nhân dân phường', person: 'Lê Văn Minh' },
      at: '2026-11-24T15:10:00+07:00',
      dueAt: '2026-11-25T10:00:00+07:00',
      timing: 'on_time',
    },
    {
      step: 'Ký duyệt kết quả',
      from: { unit: 'Lãnh đạo Ủy ban nhân dân phường', person: 'Lê Văn Minh' },
      to: { unit: 'Văn thư', person: 'Hoàng Thị Yến' },
      at: '2026-11-25T11:30:00+07:00',
      dueAt: '2026-11-25T11:00:00+07:00',
      timing: 'late',
      note: 'Chờ xác minh nơi cư trú',
    },
    {
      step: 'Trả kết quả',
      from: { unit: 'Văn thư', person: 'Hoàng Thị Yến' },
      to: { unit: 'Trung tâm Phục vụ hành chính công', person: null },
      at: '2026-11-25T14:00:00+07:00',
    },
  ],
};

const names = [
  'Nguyễn Thị Hường',
  'Trần Văn Đức',
  'Lê Thị Ánh Tuyết',
  'Phạm Quốc Hưng',
  'Hoàng Ngọc Ẩn',
  'Võ Thị Mỹ Duyên',
  'Đặng Văn Lợi',
  'Bùi Thị Thu Hằng',
];
const procedures = [
  'Thủ tục đăng ký khai tử',
  'Thủ tục đăng ký khai sinh',
  'Thủ tục cấp bản sao trích lục hộ tịch',
  'Thủ tục chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan tổ chức có thẩm quyền của Việt Nam cấp',
  'Thủ tục đăng ký kết hôn',
];

/** `n` register rows, deterministic. */
export function registerRows(n: number): RegisterRow[] {
  return Array.from({ length: n }, (_, i) => {
    const day = 1 + (i % 28);
    const seq = String(i + 1).padStart(4, '0');
    const received = `2026-11-${String(day).padStart(2, '0')}T08:${String(i % 60).padStart(2, '0')}:00+07:00`;
    const due = new Date(Date.parse(received) + 2 * 86_400_000);
    const finished = i % 5 === 4 ? null : new Date(Date.parse(received) + (i % 3) * 86_400_000 + 3_600_000);
    const timing = finished === null ? null : i % 7 === 0 ? 'late' : i % 2 === 0 ? 'early' : 'on_time';
    return {
      dossierCode: `H41.50-2611${String(day).padStart(2, '0')}-${seq}`,
      procedure: procedures[i % procedures.length]!,
      applicant: names[i % names.length]!,
      ...(i % 3 === 0 ? { applicantContact: '0912 345 678' } : {}),
      receivedAt: received,
      dueAt: due,
      transferredAt: new Date(Date.parse(received) + 1_800_000),
      finishedAt: finished,
      returnedAt: finished ? new Date(finished.getTime() + 3_600_000) : null,
      timing,
      ...(i % 11 === 0 ? { note: 'Trả qua dịch vụ bưu chính' } : {}),
    } satisfies RegisterRow;
  });
}

export const register: RegisterInput = {
  issuer,
  subtitle: 'Lĩnh vực Hộ tịch',
  period: { from: '2026-11-01T00:00:00+07:00', to: '2026-11-30T23:59:59+07:00' },
  rows: registerRows(120),
  now: NOW,
};

export const decision: DecisionInput = {
  kind: 'decision',
  issuer: ward,
  number: 15,
  symbol: 'QĐ-UBND',
  now: NOW,
  dossierCode: CODE,
  subject: 'công nhận việc khai tử cho ông Nguyễn Văn Thành',
  authority: 'Chủ tịch Ủy ban nhân dân phường Trường Vinh',
  bases: [
    'Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;',
    'Căn cứ Luật Hộ tịch ngày 20 tháng 11 năm 2014;',
    'Căn cứ Nghị định số 123/2015/NĐ-CP ngày 15 tháng 11 năm 2015 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch;',
  ],
  proposal: 'Theo đề nghị của công chức Tư pháp - Hộ tịch.',
  articles: [
    {
      text: 'Ghi vào Sổ đăng ký khai tử việc khai tử của ông Nguyễn Văn Thành, sinh ngày 12/03/1948, chết ngày 22/11/2026 tại phường Trường Vinh, tỉnh Nghệ An; người đi khai tử: bà Nguyễn Thị Hường.',
    },
    'Quyết định này có hiệu lực kể từ ngày ký.',
    'Công chức Tư pháp - Hộ tịch, bà Nguyễn Thị Hường và các cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.',
  ],
  signer: { capacity: 'TM. Ủy ban nhân dân', title: 'Chủ tịch', name: 'Lê Văn Minh' },
  recipients: ['Như Điều 3', 'Trung tâm Phục vụ hành chính công phường', 'Lưu: VT, TP-HT'],
  verifyUrl: VERIFY_URL,
};

export const certificate: DocumentResultInput = {
  kind: 'certificate',
  issuer: ward,
  number: null,
  symbol: 'TLKT-UBND',
  now: NOW,
  dossierCode: CODE,
  title: 'Trích lục khai tử',
  subtitle: '(Bản chính)',
  body: [
    { label: 'Họ, chữ đệm, tên người chết', value: 'NGUYỄN VĂN THÀNH' },
    { label: 'Ngày, tháng, năm sinh', value: '12/03/1948' },
    { label: 'Giới tính', value: 'Nam' },
    { label: 'Dân tộc', value: 'Kinh' },
    { label: 'Quốc tịch', value: 'Việt Nam' },
    { label: 'Số định danh cá nhân', value: '040048001122' },
    { label: 'Nơi cư trú cuối cùng', value: 'Số 12, đường Lê Hồng Phong, phường Trường Vinh, tỉnh Nghệ An' },
    { label: 'Đã chết vào lúc', value: '05 giờ 30 phút, ngày 22/11/2026' },
    { label: 'Nơi chết', value: 'Bệnh viện Hữu nghị Đa khoa Nghệ An' },
    { label: 'Họ, chữ đệm, tên người đi khai tử', value: 'NGUYỄN THỊ HƯỜNG' },
    'Trích lục này được cấp theo Quyết định số 15/QĐ-UBND ngày 24 tháng 11 năm 2026 của Chủ tịch Ủy ban nhân dân phường Trường Vinh.',
  ],
  signer: { capacity: 'TM. Ủy ban nhân dân', title: 'Chủ tịch', name: 'Lê Văn Minh' },
  verifyUrl: VERIFY_URL,
};
