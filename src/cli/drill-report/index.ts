export { type CallerIdentity, type CallerLookup, lookUpCaller } from './caller.ts';
export { escapeHtml, renderDrillHtml } from './html.ts';
export { renderDrillMarkdown } from './markdown.ts';
export {
  buildDrillReport,
  type DrillGateway,
  type DrillReport,
  type DrillReportSource,
  type DrillRow,
  SnapshotTimeSource,
} from './model.ts';
export { rendererFor, writeDrillReport } from './write.ts';
