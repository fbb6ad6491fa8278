namespace Routing.Grains.Knowledge;

/// <summary>The knowledge base's settings, <c>Routing:Knowledge</c>.</summary>
public sealed class KnowledgeOptions
{
    public const string Section = "Routing:Knowledge";

    /// <summary>
    /// How often, at most, a silo asks the ledger what changed in a workspace's articles while it is searched, in
    /// seconds: an article saved on another silo is found here within this time. Default 1.
    /// </summary>
    public double RefreshSeconds { get; set; } = 1;
}
