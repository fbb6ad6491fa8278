namespace Routing.Contracts.Access;

/// <summary>
/// Who a credential speaks for. Staff roles come from a token's <c>role</c> claim; <see cref="Integration"/> is an
/// API key and <see cref="Customer"/> a customer token, scoped to one conversation.
/// </summary>
public static class StaffRoles
{
    /// <summary>Manages agents, queues, accounts and API keys; may act for any agent of its workspace.</summary>
    public const string Admin = "admin";

    /// <summary>Watches the workspace, sets agents' statuses, moves waiting conversations; may act for an agent.</summary>
    public const string Supervisor = "supervisor";

    /// <summary>One agent (the token's agent id): its own status, offers and conversations.</summary>
    public const string Agent = "agent";

    /// <summary>An API key: creates conversations (the customer token each answers goes on from there), reads queues, statistics and
    /// reports.</summary>
    public const string Integration = "integration";

    /// <summary>A customer token: one conversation, as its customer.</summary>
    public const string Customer = "customer";

    /// <summary>The roles a built-in account can have.</summary>
    public static bool IsStaff(string? role) => role is Admin or Supervisor or Agent;
}
