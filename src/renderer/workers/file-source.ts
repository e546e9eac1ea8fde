import type { ByteSource } from '@shared/formats/import-dataset';

/** A browser File as the core's ByteSource, read by its stream (never whole into memory). */
export function fileSource(file: File): ByteSource {
  return {
    fileName: file.name,
    sizeBytes: file.size,
    async *chunks() {
      const reader = file.stream().getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          yield value;
        }
      } finally {
        reader.releaseLock();
      }
    },
  };
}
