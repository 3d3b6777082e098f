import type { Database } from '@tinhso/db';
import { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import type { Config } from '../config.js';
import type { Catalogue } from './catalogue.js';
import type { CreateDossier } from './dossier-input.js';
import type { DossierRow, DossierService, WithinTransaction } from './dossiers/index.js';
import { DraftService } from './drafts.js';
import { FileService, MAX_FILES_PER_COMPONENT } from './files/index.js';

/** The applicant's answer to a supplement request: the missing items as files, per component. */
export const SupplementRequest = z.object({
  expectedVersion: z.number().int().min(1),
  note: z.string().trim().max(2000).optional(),
  components: z
    .array(
      z.object({
        code: z.string().max(40),
        fileIds: z.array(z.uuid()).min(1).max(MAX_FILES_PER_COMPONENT),
      }),
    )
    .min(1)
    .max(100),
});
export type SupplementRequest = z.infer<typeof SupplementRequest>;

/**
 * Submission with files and supplement answers: the file links, the requested delivery and the draft's deletion
 * are written in the dossier's own transaction, so a refused or failed request leaves nothing behind.
 */
export class SubmissionService {
  private readonly files: FileService;
  private readonly drafts: DraftService;

  constructor(
    database: Database,
    config: Pick<Config, 'UPLOAD_FILE_MAX_BYTES' | 'UPLOAD_QUOTA_FILES' | 'UPLOAD_QUOTA_BYTES'>,
    private readonly dossiers: DossierService,
    catalogue: Catalogue,
  ) {
    this.files = new FileService(database, config, dossiers);
    this.drafts = new DraftService(database, catalogue);
  }

  /**
   * The input DossierService.create stores, and the writes to run in its transaction. A citizen's component flags
   * are never taken from the request: a component with files is provided + digitized, and reused is computed from
   * where the files came from. Officers keep the flags they checked at the counter; their scans add to them.
   */
  prepare(
    input: CreateDossier,
    principal: Principal,
    ip?: string,
  ): { input: CreateDossier; within: WithinTransaction } {
    const attachments = input.components.map((c) => ({ code: c.code, fileIds: c.fileIds }));
    const components =
      principal.kind === 'citizen'
        ? input.components.map((c) => ({ ...c, provided: false, digitized: false, reused: false }))
        : input.components;
    const within: WithinTransaction = async (tx, d) => {
      await this.files.attach(tx, d, attachments, principal, 'submission', ip);
      if (input.delivery) {
        await tx
          .updateTable('dossiers')
          .set({ delivery: JSON.stringify(input.delivery) })
          .where('id', '=', d.id)
          .execute();
      }
      if (principal.kind === 'citizen') {
        await this.drafts.removeIn(tx, principal.id, input.procedureCode, 'draft.submitted', ip);
      }
    };
    return { input: { ...input, components }, within };
  }

  /** Links the supplement files AND applies provide_supplement in one transaction (nothing linked if refused). */
  async supplement(
    code: string,
    body: SupplementRequest,
    principal: Principal,
    ip?: string,
  ): Promise<DossierRow> {
    return this.dossiers.act(
      code,
      { type: 'provide_supplement', ...(body.note ? { note: body.note } : {}) },
      body.expectedVersion,
      principal,
      {
        ...(ip ? { ip } : {}),
        within: (tx, d) => this.files.attach(tx, d, body.components, principal, 'supplement', ip),
      },
    );
  }
}
