import hnswlib from "hnswlib-node";

const { HierarchicalNSW } = hnswlib;
type HierarchicalNSW = InstanceType<typeof HierarchicalNSW>;

/** Turns texts into vectors. The local one needs no download; a remote one is an adapter. */
export interface Embedder {
  readonly id: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<number[][]>;
}

/**
 * Dense side of the index: one vector per passage (a unit or one of its 款),
 * searched with HNSW. Results are passage indexes; the caller maps them to units.
 */
export class DenseIndex {
  private constructor(
    private readonly hnsw: HierarchicalNSW,
    readonly size: number,
  ) {}

  static build(vectors: number[][], dimensions: number): DenseIndex {
    const hnsw = new HierarchicalNSW("cosine", dimensions);
    hnsw.initIndex({ maxElements: Math.max(1, vectors.length), m: 16, efConstruction: 200 });
    vectors.forEach((v, i) => {
      hnsw.addPoint(v, i);
    });
    hnsw.setEf(64);
    return new DenseIndex(hnsw, vectors.length);
  }

  static load(path: string, dimensions: number): DenseIndex {
    const hnsw = new HierarchicalNSW("cosine", dimensions);
    hnsw.readIndexSync(path);
    hnsw.setEf(64);
    return new DenseIndex(hnsw, hnsw.getCurrentCount());
  }

  save(path: string): void {
    this.hnsw.writeIndexSync(path);
  }

  /** Nearest passages with cosine similarity (1 = same direction). */
  search(vector: number[], limit: number): { passage: number; similarity: number }[] {
    const k = Math.min(limit, this.size);
    if (k === 0 || vector.every((x) => x === 0)) return [];
    const { neighbors, distances } = this.hnsw.searchKnn(vector, k);
    return neighbors.map((passage, i) => ({ passage, similarity: 1 - (distances[i] ?? 1) }));
  }
}
