import type { IpnAnswer } from './vnpay.js';

/** One line of what is due. `kind`: fee (phí), charge (lệ phí), obligation (an amount an officer requested). */
export interface FeeLine {
  name: string;
  amountVnd: number;
  kind: 'fee' | 'charge' | 'obligation';
}

export type PaymentStatus = 'pending' | 'paid' | 'failed' | 'cancelled';

export interface PaymentView {
  id: string;
  amountVnd: number;
  status: PaymentStatus;
  provider: string;
  reference: string;
  createdAt: string;
  paidAt: string | null;
  /** Paid when it could settle nothing (dossier closed, or already paid): not counted, to be refunded. */
  refundNeeded: boolean;
}

export interface FeesView {
  items: FeeLine[];
  totalVnd: number;
  paidVnd: number;
  dueVnd: number;
  payableOnline: boolean;
  payments: PaymentView[];
}

export interface NotificationOutcome {
  answer: IpnAnswer;
  /** The payment concerned, when the parameters were authentic and named one of ours. */
  payment: { dossierCode: string; status: PaymentStatus; refundNeeded: boolean } | null;
}
