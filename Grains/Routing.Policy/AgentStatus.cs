namespace Routing.Policy;

/// <summary>An agent's presence as routing sees it. Only <see cref="Available"/> agents are offered work.</summary>
public enum AgentStatus
{
    Offline = 0,
    Available = 1,
    Away = 2,
}
