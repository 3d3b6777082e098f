import type { DateInput } from './format.js';

/** The unit that issues a document (top-left of the heading). Names are given in normal case; they are printed in capitals. */
export interface Issuer {
  /**
   * Governing body (cơ quan chủ quản), printed in regular capitals, e.g. "Ủy ban nhân dân phường Trường Vinh".
   * "\n" chooses the line break.
   */
  parent?: string;
  /** Issuing unit, printed in bold capitals, e.g. "Trung tâm Phục vụ hành chính công". "\n" chooses the line break. */
  name: string;
  /** Place name (địa danh) of the date line, e.g. "Vinh" → "Vinh, ngày 24 tháng 11 năm 2026". */
  place: string;
}

/** The person or organisation that submitted the dossier. */
export interface Applicant {
  /** Full name, e.g. "Nguyễn Thị Hường". Required, not blank. */
  name: string;
  address?: string;
  phone?: string;
  email?: string;
  /** Personal identification number (số định danh cá nhân) or enterprise code. */
  idNumber?: string;
}

/** An administrative procedure (thủ tục hành chính). */
export interface ProcedureRef {
  /** e.g. "Thủ tục đăng ký khai tử". */
  name: string;
  /** Code in the national catalogue, e.g. "1.000656". */
  code?: string;
}

/** A person who signs a form. */
export interface Officer {
  /** Full name (bold under the signature). Blank to leave it for handwriting. */
  name?: string;
  /** Overrides the default title of the signer block (e.g. "NGƯỜI TIẾP NHẬN HỒ SƠ"). */
  title?: string;
  /** Capacity line above the title, e.g. "KT. GIÁM ĐỐC". */
  capacity?: string;
}

/** Fields every one-stop form (Mẫu 01–06) shares. */
export interface FormBase {
  issuer: Issuer;
  /** Number of the slip (after "Số:"), e.g. "0007/TNHS"; absent → a dotted blank. */
  number?: string;
  /** Date of the place-and-date line; defaults to `now`. */
  issuedAt?: DateInput;
  /**
   * The rendering instant: PDF creation date, and the default issue date. Fix it to get byte-identical output
   * for identical input (tests, signatures).
   */
  now?: DateInput;
}
