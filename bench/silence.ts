// Imported first by the entry point: the logger reads its level when its module loads, and
// injectLambdaContext puts that level back on every invocation, so a later setLogLevel does not hold.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
