export interface StoredFile {
  id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  createdAt: string;
}

export const present = (r: {
  id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  created_at: Date;
}): StoredFile => ({
  id: r.id,
  name: r.name,
  mime: r.mime,
  size: r.size,
  sha256: r.sha256,
  createdAt: r.created_at.toISOString(),
});
