namespace Routing.Contracts;

/// <summary>An agent's presence. Only <see cref="Available"/> agents are offered conversations.</summary>
public enum AgentStatus
{
    Offline = 0,
    Available = 1,
    Away = 2,
}
