using Microsoft.Extensions.Logging;

namespace Routing.Grains;

/// <summary>Source-generated log messages of the grains.</summary>
internal static partial class Log
{
    [LoggerMessage(1020, LogLevel.Error, "The ledger failed during {Method}; the call is refused as ledger-unavailable")]
    public static partial void LedgerFailed(ILogger logger, Exception exception, string method);

    [LoggerMessage(
        1019,
        LogLevel.Warning,
        "The offer of conversation {ConversationId} could not be written; the conversation's next write carries it"
    )]
    public static partial void OfferWriteFailed(ILogger logger, Exception exception, string conversationId);

    [LoggerMessage(1001, LogLevel.Warning, "Alarm {Token} failed")]
    public static partial void AlarmFailed(ILogger logger, Exception exception, long token);

    [LoggerMessage(
        1018,
        LogLevel.Debug,
        "Alarm {Token} not delivered: its grain's silo is shutting down or gone (the grain's state is in the ledger)"
    )]
    public static partial void AlarmDroppedAtShutdown(ILogger logger, long token);

    [LoggerMessage(1002, LogLevel.Warning, "Offering conversation {ConversationId} to agent {AgentId} failed; it keeps its place in line")]
    public static partial void OfferFailed(ILogger logger, Exception exception, string conversationId, string agentId);

    [LoggerMessage(1003, LogLevel.Warning, "Conversation {ConversationId} in queue {QueueId} cannot be served: {Reason}")]
    public static partial void Unservable(ILogger logger, string conversationId, string queueId, string reason);

    [LoggerMessage(1004, LogLevel.Warning, "Telling queue {QueueId} about agent {AgentId} failed")]
    public static partial void QueueNotifyFailed(ILogger logger, Exception exception, string queueId, string agentId);

    [LoggerMessage(1005, LogLevel.Information, "Agent {AgentId} set Away after {Missed} missed offers in a row")]
    public static partial void AgentAwayAfterMissedOffers(ILogger logger, string agentId, int missed);

    [LoggerMessage(
        1006,
        LogLevel.Information,
        "Recovered {Queues} queues, {Agents} agents and {WrapUps} conversations in wrap-up from the ledger"
    )]
    public static partial void Recovered(ILogger logger, int queues, int agents, int wrapUps);

    [LoggerMessage(1007, LogLevel.Warning, "Overflowing conversation {ConversationId} from {QueueId} to {OverflowQueueId} failed")]
    public static partial void OverflowFailed(
        ILogger logger,
        Exception exception,
        string conversationId,
        string queueId,
        string overflowQueueId
    );

    [LoggerMessage(
        1008,
        LogLevel.Warning,
        "Conversation {ConversationId} found Offered on activation: the offer was lost and it goes back in line"
    )]
    public static partial void OfferLostOnActivation(ILogger logger, string conversationId);

    [LoggerMessage(1009, LogLevel.Information, "A silo's realtime relay could not be reached; its connections are dropped")]
    public static partial void RelayUnreachable(ILogger logger, Exception exception);

    [LoggerMessage(1010, LogLevel.Information, "Agent {AgentId} set Offline: no realtime connection for {GraceSeconds} s")]
    public static partial void AgentPresenceLapsed(ILogger logger, string agentId, int graceSeconds);

    [LoggerMessage(1011, LogLevel.Warning, "Publishing to stream {Namespace} failed")]
    public static partial void StreamPublishFailed(ILogger logger, Exception exception, string @namespace);

    [LoggerMessage(1012, LogLevel.Warning, "Silo {Silos} declared dead: bringing back what it held from the ledger")]
    public static partial void SiloDied(ILogger logger, string silos);

    [LoggerMessage(1023, LogLevel.Information, "Ended {Count} ledger sessions of dead silo {Silo}")]
    public static partial void DeadSiloSessionsEnded(ILogger logger, string silo, int count);

    [LoggerMessage(1013, LogLevel.Error, "Bringing back what a dead silo held failed; it comes back as it is next used")]
    public static partial void ClusterRecoveryFailed(ILogger logger, Exception exception);

    [LoggerMessage(
        1014,
        LogLevel.Warning,
        "Conversation {ConversationId} could not tell queue {QueueId} for its statistics; the change itself is committed"
    )]
    public static partial void QueueStatisticsMissed(ILogger logger, Exception exception, string conversationId, string queueId);

    [LoggerMessage(
        1015,
        LogLevel.Warning,
        "Agent {AgentId} accepted conversation {ConversationId}, which is {State} without it (the accept was never written): the slot "
            + "is freed"
    )]
    public static partial void AssignmentNotHeld(ILogger logger, string agentId, string conversationId, string state);

    [LoggerMessage(1016, LogLevel.Warning, "Agent {AgentId} could not check conversation {ConversationId}; it asks again later")]
    public static partial void AssignmentCheckFailed(ILogger logger, Exception exception, string agentId, string conversationId);

    [LoggerMessage(
        1017,
        LogLevel.Warning,
        "Conversation {ConversationId} is written Connected but could not tell agent {AgentId}; the agent checks it"
    )]
    public static partial void AgentConfirmMissed(ILogger logger, Exception exception, string conversationId, string agentId);

    [LoggerMessage(
        1021,
        LogLevel.Warning,
        "Conversation {ConversationId} is back in line but could not tell agent {AgentId} its offer ended; the agent lets go of it by "
            + "the offer's deadline"
    )]
    public static partial void OfferReleaseMissed(ILogger logger, Exception exception, string conversationId, string agentId);

    [LoggerMessage(
        1022,
        LogLevel.Warning,
        "Conversation {ConversationId} waits in queue {QueueId} on record but was missing from its line at two checks; it is put back"
    )]
    public static partial void PutBackInLine(ILogger logger, string conversationId, string queueId);

    [LoggerMessage(
        1024,
        LogLevel.Warning,
        "The self-service step of conversation {ConversationId} failed after the customer's message was written; "
            + "a person answers, or the customer asks again"
    )]
    public static partial void SelfServiceFailed(ILogger logger, Exception exception, string conversationId);

    [LoggerMessage(
        1025,
        LogLevel.Information,
        "Conversation {ConversationId} ended in the self-service step after {Idle} with nothing written"
    )]
    public static partial void SelfServiceIdle(ILogger logger, string conversationId, TimeSpan idle);

    [LoggerMessage(
        1026,
        LogLevel.Warning,
        "Queue {QueueId} could not end idle self-service conversation {ConversationId}; its next check tries again"
    )]
    public static partial void SelfServiceIdleFailed(ILogger logger, Exception exception, string queueId, string conversationId);

    [LoggerMessage(
        1027,
        LogLevel.Warning,
        "Queue {QueueId} keeps business hours this machine cannot read (its time-zone data?); it is taken as always open"
    )]
    public static partial void HoursUnreadable(ILogger logger, Exception exception, string queueId);

    [LoggerMessage(
        1028,
        LogLevel.Warning,
        "Conversation {ConversationId} was rated low but its follow-up in queue {QueueId} could not be opened; the rating stands"
    )]
    public static partial void FollowUpFailed(ILogger logger, Exception exception, string conversationId, string queueId);
}
