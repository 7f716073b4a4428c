export { lookUpCaller, type CallerIdentity, type CallerLookup } from './caller.ts';
export { escapeHtml, renderDrillHtml } from './html.ts';
export { renderDrillMarkdown } from './markdown.ts';
export { buildDrillReport, SnapshotTimeSource, type DrillGateway, type DrillReport, type DrillReportSource, type DrillRow } from './model.ts';
export { rendererFor, writeDrillReport } from './write.ts';
