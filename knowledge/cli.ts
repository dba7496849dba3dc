import { resolve } from "node:path";
import { Command } from "commander";
import { openKnowledgeBase } from "./knowledge-base.ts";
import { progressBar } from "./progress.ts";
import { unitText } from "./unit.ts";

const program = new Command("knowledge").description("知识库：导入条文、检索、查看条文");

async function open(sources: string | undefined, rebuild = false) {
  const bar = progressBar();
  const kb = await openKnowledgeBase({
    ...(sources ? { sourcesDir: resolve(sources), indexDir: null } : {}),
    onProgress: bar,
    rebuild,
  });
  bar.stop();
  for (const p of kb.problems) console.error(`有问题的文件 ${p.path} 第${p.line}行：${p.problem}`);
  return kb;
}

program
  .command("ingest")
  .description("从条文文件夹重新建立索引")
  .option("--sources <dir>", "条文文件夹（默认为内置条文；指定时只在内存中建立）")
  .action(async (opts: { sources?: string }) => {
    const kb = await open(opts.sources, true);
    for (const d of kb.documents) {
      console.log(
        `${d.meta.id.padEnd(20)} ${String(d.units.length).padStart(4)} 个单元  ${d.meta.title}`,
      );
    }
    console.log(`共 ${kb.documents.reduce((n, d) => n + d.units.length, 0)} 个单元`);
  });

program
  .command("search")
  .description("检索与问题最相关的条文")
  .argument("<question>", "问题")
  .option("-k, --top <n>", "显示条数", "5")
  .option("--sources <dir>", "条文文件夹")
  .action(async (question: string, opts: { top: string; sources?: string }) => {
    const kb = await open(opts.sources);
    const { hits } = await kb.retriever.search(question, { limit: Number(opts.top) });
    if (hits.length === 0) console.log("没有找到相关条文。");
    for (const h of hits) {
      const snippet = unitText(h.unit).replace(/\s+/g, " ").slice(0, 80);
      console.log(
        `${h.key.padEnd(22)} ${h.score.toFixed(4)}  ${kb.citation(h.key)}\n    ${snippet}…`,
      );
    }
  });

program
  .command("show")
  .description("显示一条条文的原文，如 henan-pmr-2017:38")
  .argument("<key>", "条文编号")
  .action(async (key: string) => {
    const kb = await open(undefined);
    const unit = kb.unit(key);
    if (!unit) {
      console.error(`没有这一条：${key}`);
      process.exitCode = 1;
      return;
    }
    const meta = kb.document(unit.docId);
    console.log(
      `${kb.citation(key)}${unit.context.length ? `（${unit.context.join(" / ")}）` : ""}`,
    );
    console.log(`${meta?.kind}，${meta?.issuer}，${meta?.effective} 起施行\n`);
    console.log(unitText(unit));
  });

await program.parseAsync();
