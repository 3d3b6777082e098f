import { foldVietnamese } from '@tinhso/domain';

/**
 * The citizen account a counter or postal dossier belongs to: the account of the same personal ID number AND the
 * same name (a mistyped number must not show one person's file in another's "Hồ sơ của tôi").
 */
export function ownerOf(
  citizen: { id: string; fullName: string } | null,
  applicant: { name: string },
): string | null {
  return citizen && foldVietnamese(citizen.fullName) === foldVietnamese(applicant.name) ? citizen.id : null;
}
