import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";

function chineseDate(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

/** 依据：《河南省物业管理条例》第三十八条（2018年1月1日起施行） */
export function citationLine(kb: KnowledgeBase, key: string): string {
  const unit = kb.unit(key);
  const meta = unit && kb.document(unit.docId);
  if (!meta) return `依据：${key}`;
  const issued = meta.doc_number ? `${meta.doc_number}，` : "";
  return `依据：${kb.citation(key)}（${issued}${chineseDate(meta.effective)}起施行）`;
}
