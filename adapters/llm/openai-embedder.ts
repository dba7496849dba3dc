import type OpenAI from "openai";
import { LanguageModelError } from "../../bot/language-model.ts";
import type { Embedder } from "../../knowledge/dense.ts";
import { openAIClient, toLanguageModelError } from "./client.ts";
import type { ModelConfig } from "./config.ts";

const WHAT = "向量模型服务";
const PROBE_TEXT = "物业服务";

/**
 * Embeddings from an OpenAI-compatible /embeddings endpoint. Build it with
 * `OpenAIEmbedder.create(config)`: without EMBEDDINGS_DIMENSIONS that sends
 * one short probe to learn the vector size the index must be built with.
 */
export class OpenAIEmbedder implements Embedder {
  /** Providers cap inputs per request (DashScope at 10–25, OpenAI at 2048); 64 suits most. */
  static readonly BATCH_SIZE = 64;

  readonly id: string;

  private constructor(
    private readonly client: OpenAI,
    private readonly model: string,
    readonly dimensions: number,
    /** Only sent when configured: endpoints without Matryoshka models reject the field. */
    private readonly requestedDimensions: number | undefined,
  ) {
    this.id = `openai:${model}`;
  }

  static async create(config: ModelConfig): Promise<OpenAIEmbedder> {
    if (!config.embeddings) throw new Error("未配置 EMBEDDINGS_MODEL，无法使用远程向量模型");
    const { model, dimensions } = config.embeddings;
    const client = openAIClient(config);
    if (dimensions !== undefined) return new OpenAIEmbedder(client, model, dimensions, dimensions);
    const probe = new OpenAIEmbedder(client, model, 0, undefined);
    const [vector] = await probe.request([PROBE_TEXT]);
    if (!vector || vector.length === 0) {
      throw new LanguageModelError(`${WHAT}对探测文本返回了空向量`, "empty");
    }
    return new OpenAIEmbedder(client, model, vector.length, undefined);
  }

  async embed(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i += OpenAIEmbedder.BATCH_SIZE) {
      const batch = texts.slice(i, i + OpenAIEmbedder.BATCH_SIZE);
      // OpenAI rejects empty inputs; a zero vector is what DenseIndex treats as "no match".
      const sent = batch.filter((t) => t.trim() !== "");
      const received = sent.length > 0 ? await this.request(sent) : [];
      let next = 0;
      for (const text of batch) {
        const vector =
          text.trim() === "" ? new Array<number>(this.dimensions).fill(0) : received[next++];
        if (!Array.isArray(vector) || vector.length !== this.dimensions) {
          throw new LanguageModelError(
            `${WHAT}返回的向量维数为 ${vector?.length ?? 0}，应为 ${this.dimensions}`,
            "empty",
          );
        }
        vectors.push(vector);
      }
    }
    return vectors;
  }

  private async request(input: string[]): Promise<number[][]> {
    let data: { index: number; embedding: number[] }[];
    try {
      const response = await this.client.embeddings.create({
        model: this.model,
        input,
        // The client's default (base64) is not understood by every compatible server.
        encoding_format: "float",
        ...(this.requestedDimensions === undefined ? {} : { dimensions: this.requestedDimensions }),
      });
      data = response.data;
    } catch (error) {
      throw toLanguageModelError(error, WHAT);
    }
    if (!Array.isArray(data) || data.length !== input.length) {
      throw new LanguageModelError(
        `${WHAT}为 ${input.length} 段文本返回了 ${Array.isArray(data) ? data.length : 0} 个向量`,
        "empty",
      );
    }
    // The API does not promise to answer in input order; `index` is authoritative.
    return [...data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
  }
}
