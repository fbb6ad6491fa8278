using Microsoft.Extensions.Logging;

namespace Routing.Ledger;

internal static partial class LedgerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Ledger opened at {Path}")]
    public static partial void Opened(ILogger logger, string path);

    [LoggerMessage(
        EventId = 2,
        Level = LogLevel.Error,
        Message = "Ledger batch of {Count} writes failed; each of its callers gets the error"
    )]
    public static partial void BatchFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(
        EventId = 3,
        Level = LogLevel.Warning,
        Message = "Ledger batch of {Count} writes lost its commit's answer; its callers wait until the database says whether it committed"
    )]
    public static partial void CommitOutcomeUnknown(ILogger logger, int count, Exception exception);

    [LoggerMessage(
        EventId = 4,
        Level = LogLevel.Information,
        Message = "Ledger batch of {Count} writes whose commit's answer was lost had {Outcome}"
    )]
    public static partial void CommitOutcomeSettled(ILogger logger, int count, string outcome);
}
