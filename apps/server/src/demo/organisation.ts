import type { Role, UnitLevel } from '@tinhso/domain';

/**
 * The demo province. H41 (Nghệ An) is a verified QCVN 102 province code; the codes of its units below are
 * ILLUSTRATIVE (a real deployment loads the province's official code table). Commune names follow the post-2025
 * two-level structure but the list is a sample, not the province's full list.
 */
export interface DemoUnit {
  code: string;
  name: string;
  shortName?: string;
  level: UnitLevel;
  parent?: string;
  validFrom?: string;
  validTo?: string;
  successor?: string;
}

export const DEMO_PROVINCE = 'H41';

export const DEMO_UNITS: DemoUnit[] = [
  {
    code: 'H41',
    name: 'Ủy ban nhân dân tỉnh Nghệ An',
    shortName: 'UBND tỉnh',
    level: 'province',
    validFrom: '1991-08-12',
  },
  {
    code: 'H41.01',
    name: 'Văn phòng Ủy ban nhân dân tỉnh',
    shortName: 'VP UBND tỉnh',
    level: 'department',
    parent: 'H41',
  },
  {
    code: 'H41.02',
    name: 'Trung tâm Phục vụ hành chính công tỉnh Nghệ An',
    shortName: 'TT PVHCC tỉnh',
    level: 'service_center',
    parent: 'H41',
  },
  {
    code: 'H41.02.01',
    name: 'Chi nhánh số 1 — Trung tâm Phục vụ hành chính công tỉnh',
    shortName: 'Chi nhánh số 1',
    level: 'service_branch',
    parent: 'H41.02',
  },
  { code: 'H41.03', name: 'Sở Tư pháp', level: 'department', parent: 'H41' },
  { code: 'H41.04', name: 'Sở Xây dựng', level: 'department', parent: 'H41' },
  { code: 'H41.05', name: 'Sở Nông nghiệp và Môi trường', level: 'department', parent: 'H41' },
  { code: 'H41.06', name: 'Sở Tài chính', level: 'department', parent: 'H41' },
  { code: 'H41.07', name: 'Sở Y tế', level: 'department', parent: 'H41' },
  { code: 'H41.08', name: 'Sở Nội vụ', level: 'department', parent: 'H41' },
  { code: 'H41.09', name: 'Sở Giáo dục và Đào tạo', level: 'department', parent: 'H41' },
  { code: 'H41.10', name: 'Sở Công Thương', level: 'department', parent: 'H41' },
  { code: 'H41.11', name: 'Công an tỉnh', level: 'department', parent: 'H41' },
  {
    code: 'H41.40',
    name: 'Ủy ban nhân dân thành phố Vinh (cũ)',
    level: 'district_legacy',
    parent: 'H41',
    validFrom: '2008-01-01',
    validTo: '2025-06-30',
    successor: 'H41.50',
  },
  {
    code: 'H41.50',
    name: 'Ủy ban nhân dân phường Trường Vinh',
    shortName: 'Phường Trường Vinh',
    level: 'commune',
    parent: 'H41',
  },
  {
    code: 'H41.51',
    name: 'Ủy ban nhân dân phường Thành Vinh',
    shortName: 'Phường Thành Vinh',
    level: 'commune',
    parent: 'H41',
  },
  {
    code: 'H41.52',
    name: 'Ủy ban nhân dân phường Vinh Hưng',
    shortName: 'Phường Vinh Hưng',
    level: 'commune',
    parent: 'H41',
  },
  {
    code: 'H41.53',
    name: 'Ủy ban nhân dân phường Cửa Lò',
    shortName: 'Phường Cửa Lò',
    level: 'commune',
    parent: 'H41',
  },
  {
    code: 'H41.54',
    name: 'Ủy ban nhân dân xã Diễn Châu',
    shortName: 'Xã Diễn Châu',
    level: 'commune',
    parent: 'H41',
  },
  {
    code: 'H41.55',
    name: 'Ủy ban nhân dân xã Yên Thành',
    shortName: 'Xã Yên Thành',
    level: 'commune',
    parent: 'H41',
  },
];

/** Every demo officer has this password (documented in README.md; change it in any real deployment). */
export const DEMO_PASSWORD = 'TinhSo@2026';

export interface DemoOfficer {
  username: string;
  fullName: string;
  title: string;
  roles: [Role, string][];
}

/** Name parts for fictional people (demo officers, generated applicants). */
export const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
];
export const MIDDLE = [
  'Văn',
  'Thị',
  'Hữu',
  'Đức',
  'Minh',
  'Thu',
  'Ngọc',
  'Quang',
  'Thanh',
  'Xuân',
  'Hồng',
  'Công',
];
export const GIVEN = [
  'An',
  'Bình',
  'Chi',
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Hùng',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Nam',
  'Nga',
  'Phúc',
  'Quân',
  'Sơn',
  'Tâm',
  'Thảo',
  'Trang',
  'Tuấn',
  'Vân',
  'Yến',
  'Khánh',
  'Thắng',
  'Hiền',
];
/** A fictional but plausible Vietnamese name, the same for the same index on every start. */
const demoName = (i: number) =>
  `${FAMILY[(i * 7) % FAMILY.length]} ${MIDDLE[(i * 5 + 3) % MIDDLE.length]} ${GIVEN[(i * 11 + 2) % GIVEN.length]}`;

const DEPARTMENTS = [
  'H41.03',
  'H41.04',
  'H41.05',
  'H41.06',
  'H41.07',
  'H41.08',
  'H41.09',
  'H41.10',
  'H41.11',
];
const COMMUNES = ['H41.50', 'H41.51', 'H41.52', 'H41.53', 'H41.54', 'H41.55'];
const suffix = (code: string) => code.split('.').slice(1).join('');

export const DEMO_OFFICERS: DemoOfficer[] = [
  { username: 'admin', fullName: 'Nguyễn Quản Trị', title: 'Quản trị hệ thống', roles: [['admin', 'H41']] },
  {
    username: 'lanhdao',
    fullName: 'Trần Văn Tuấn',
    title: 'Phó Chủ tịch UBND tỉnh',
    roles: [['leader', 'H41']],
  },
  {
    username: 'tiepnhan',
    fullName: 'Lê Thị Lan',
    title: 'Cán bộ tiếp nhận — TT PVHCC tỉnh',
    roles: [['reception', 'H41.02']],
  },
  {
    username: 'chuyenvien.xd',
    fullName: 'Phạm Minh Đức',
    title: 'Chuyên viên — Sở Xây dựng',
    roles: [['specialist', 'H41.04']],
  },
  {
    username: 'truongphong.xd',
    fullName: 'Hoàng Thu Hà',
    title: 'Trưởng phòng — Sở Xây dựng',
    roles: [
      ['head', 'H41.04'],
      ['signer', 'H41.04'],
    ],
  },
  {
    username: 'vanthu.xd',
    fullName: 'Đặng Văn Khánh',
    title: 'Văn thư — Sở Xây dựng',
    roles: [['clerk', 'H41.04']],
  },
  ...DEPARTMENTS.filter((d) => d !== 'H41.04').flatMap((d, i): DemoOfficer[] => [
    {
      username: `chuyenvien.${suffix(d)}`,
      fullName: demoName(i * 3),
      title: 'Chuyên viên',
      roles: [['specialist', d]],
    },
    {
      username: `lanhdao.${suffix(d)}`,
      fullName: demoName(i * 3 + 1),
      title: 'Phó Giám đốc',
      roles: [
        ['head', d],
        ['signer', d],
      ],
    },
    {
      username: `vanthu.${suffix(d)}`,
      fullName: demoName(i * 3 + 2),
      title: 'Văn thư',
      roles: [['clerk', d]],
    },
  ]),
  ...COMMUNES.flatMap((c, i): DemoOfficer[] => [
    {
      username: `tiepnhan.${suffix(c)}`,
      fullName: demoName(40 + i * 4),
      title: 'Công chức Bộ phận Một cửa',
      roles: [['reception', c]],
    },
    {
      username: `tuphap.${suffix(c)}`,
      fullName: demoName(41 + i * 4),
      title: 'Công chức Tư pháp - Hộ tịch',
      roles: [['specialist', c]],
    },
    {
      username: `chutich.${suffix(c)}`,
      fullName: demoName(42 + i * 4),
      title: 'Chủ tịch',
      roles: [
        ['head', c],
        ['signer', c],
      ],
    },
    {
      username: `vanthu.${suffix(c)}`,
      fullName: demoName(43 + i * 4),
      title: 'Văn thư',
      roles: [['clerk', c]],
    },
  ]),
];

/** Demo citizens of the embedded identity provider (fictional people; 040 = Nghệ An in the personal ID number). */
export const DEMO_CITIZENS = [
  {
    personalId: '040090001234',
    fullName: 'Nguyễn Văn Minh',
    dateOfBirth: '1992-03-14',
    address: 'Số 12 đường Lê Lợi, phường Trường Vinh, tỉnh Nghệ An',
    phone: '0912345678',
    email: 'minh.nguyen@example.vn',
  },
  {
    personalId: '040164005678',
    fullName: 'Trần Thị Hường',
    dateOfBirth: '1964-09-02',
    address: 'Xóm 3, xã Diễn Châu, tỉnh Nghệ An',
    phone: '0987654321',
    email: 'huong.tran@example.vn',
  },
  {
    personalId: '040201009012',
    fullName: 'Lê Hoàng Nam',
    dateOfBirth: '2001-12-25',
    address: 'Khối 5, phường Cửa Lò, tỉnh Nghệ An',
    phone: '0901234567',
    email: 'nam.le@example.vn',
  },
];
