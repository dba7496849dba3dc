import type { CallbackManagerForRetrieverRun } from "@langchain/core/callbacks/manager";
import { Document } from "@langchain/core/documents";
import { BaseRetriever, type BaseRetrieverInput } from "@langchain/core/retrievers";
import type { KnowledgeBase } from "./knowledge-base.ts";
import { unitText } from "./unit.ts";

export interface UnitDocumentMetadata {
  key: string;
  citation: string;
  score: number;
  exact: boolean;
  docId: string;
  effective: string | undefined;
}

/**
 * The hybrid retriever as a LangChain retriever, so a chain or agent built
 * with LangChain can use the same units, keys and ranking as the bot.
 */
export class KnowledgeBaseRetriever extends BaseRetriever<UnitDocumentMetadata> {
  lc_namespace = ["wuye", "retrievers", "knowledge_base"];

  constructor(
    private readonly kb: KnowledgeBase,
    private readonly limit = 5,
    fields?: BaseRetrieverInput,
  ) {
    super(fields);
  }

  override async _getRelevantDocuments(
    query: string,
    _runManager?: CallbackManagerForRetrieverRun,
  ): Promise<Document<UnitDocumentMetadata>[]> {
    const { hits } = await this.kb.retriever.search(query, { limit: this.limit });
    return hits.map(
      (h) =>
        new Document<UnitDocumentMetadata>({
          id: h.key,
          pageContent: unitText(h.unit),
          metadata: {
            key: h.key,
            citation: this.kb.citation(h.key),
            score: h.score,
            exact: h.exact,
            docId: h.unit.docId,
            effective: this.kb.document(h.unit.docId)?.effective,
          },
        }),
    );
  }
}
