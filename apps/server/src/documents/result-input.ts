import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);

/** What a specialist writes when drafting a result; the rest (issuer, symbol, signer, QR) comes from the system. */
export const DraftResult = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('decision'),
    resultCode: z.string().max(60).optional(),
    subject: text(500),
    authority: text(300).optional(),
    bases: z.array(text(1000)).min(1).max(20),
    proposal: text(500).optional(),
    articles: z
      .array(
        z.union([text(3000), z.object({ text: text(3000), items: z.array(text(1000)).max(30).optional() })]),
      )
      .min(1)
      .max(20),
    recipients: z.array(text(200)).max(20).optional(),
    signerId: z.uuid().optional(),
    /** The signer's title as printed (e.g. "Phó Chủ tịch"); the officer's own title when absent. */
    signerTitle: text(200).optional(),
  }),
  z.object({
    kind: z.enum(['certificate', 'licence', 'confirmation', 'document']),
    resultCode: z.string().max(60).optional(),
    title: text(300),
    subtitle: text(300).optional(),
    body: z
      .array(z.union([text(3000), z.object({ label: text(200), value: text(1000) })]))
      .min(1)
      .max(60),
    recipients: z.array(text(200)).max(20).optional(),
    signerId: z.uuid().optional(),
    /** The signer's title as printed (e.g. "Phó Chủ tịch"); the officer's own title when absent. */
    signerTitle: text(200).optional(),
  }),
]);
export type DraftResult = z.infer<typeof DraftResult>;
