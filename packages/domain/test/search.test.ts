import { describe, expect, it } from 'vitest';
import { editDistance, foldVietnamese, SearchIndex } from '../src/index.js';

const CATALOGUE = [
  ['1.013225', 'Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV'],
  ['1.013228', 'Cấp lại giấy phép xây dựng đối với công trình cấp III, cấp IV'],
  ['1.002861', 'Cấp Giấy phép kinh doanh vận tải bằng xe ô tô'],
  ['1.000894', 'Thủ tục đăng ký kết hôn'],
  ['2.000806', 'Thủ tục đăng ký kết hôn có yếu tố nước ngoài'],
  ['1.001193', 'Thủ tục đăng ký khai sinh'],
  ['1.000656', 'Thủ tục đăng ký khai tử'],
] as const;
const index = new SearchIndex(CATALOGUE, ([code, name]) => ({ code, text: `${code} ${name}` }));
const codes = (q: string) => index.search(q).map((r) => r.item[0]);

describe('Vietnamese search', () => {
  it('folds diacritics, đ and punctuation', () => {
    expect(foldVietnamese('Đăng ký  KHAI TỬ, (lần đầu)')).toBe('dang ky khai tu lan dau');
  });

  it('measures edit distance with transpositions and gives up past the bound', () => {
    expect(editDistance('dung', 'dumg', 1)).toBe(1);
    expect(editDistance('phep', 'pehp', 1)).toBe(1);
    expect(editDistance('khai', 'kahi', 1)).toBe(1);
    expect(editDistance('xay', 'tai', 1)).toBe(2);
  });

  it('finds without diacritics, ranks the more specific match first', () => {
    expect(codes('dang ky ket hon')).toEqual(['1.000894', '2.000806']);
    expect(codes('ĐĂNG KÝ KHAI TỬ')[0]).toBe('1.000656');
    expect(codes('giay phep xay dung')).toEqual(['1.013225', '1.013228']);
  });

  it('tolerates typos but not unrelated words', () => {
    expect(codes('giay phep xay dumg')).toEqual(['1.013225', '1.013228']);
    expect(codes('dang ki ket hon')[0]).toBe('1.000894');
    expect(codes('dang ky khai xinh')[0]).toBe('1.001193');
    expect(codes('hon nhan dong gioi')).toEqual([]);
  });

  it('completes the last word as it is typed and finds codes', () => {
    expect(codes('dang ky khai s')[0]).toBe('1.001193');
    expect(codes('1.000894')[0]).toBe('1.000894');
    expect(codes('1.0008')).toEqual(['1.000894']);
  });

  it('lists the most used of equally good matches first, then the shorter one', () => {
    const permits = [
      ['1.013236', 'Cấp giấy phép xây dựng mới công trình cấp I, cấp II', 40],
      ['1.013225', 'Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV và nhà ở riêng lẻ', 900],
    ] as const;
    const used = new SearchIndex(permits, ([code, name, n]) => ({ code, text: name, weight: n }));
    expect(used.search('giay phep xay dung').map((r) => r.item[0])).toEqual(['1.013225', '1.013236']);
    const unused = new SearchIndex(permits, ([code, name]) => ({ code, text: name }));
    expect(unused.search('giay phep xay dung').map((r) => r.item[0])).toEqual(['1.013236', '1.013225']);
    // A name that starts with the query comes before one that has it later, however used the latter is.
    const reissue = new SearchIndex(
      [['1.013228', 'Cấp lại giấy phép xây dựng đối với công trình cấp III', 5000], ...permits] as const,
      ([code, name, n]) => ({ code, text: name, weight: n }),
    );
    expect(reissue.search('cap giay phep xay dung').map((r) => r.item[0])).toEqual([
      '1.013225',
      '1.013236',
      '1.013228',
    ]);
    expect(reissue.search('giay phep xay dung').map((r) => r.item[0])[2]).toBe('1.013228');
    // Popularity never lifts a worse match: an exact code still comes first.
    expect(used.search('1.013236').map((r) => r.item[0])[0]).toBe('1.013236');
  });
});
