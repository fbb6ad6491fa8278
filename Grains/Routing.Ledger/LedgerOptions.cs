namespace Routing.Ledger;

/// <summary>
/// Where and how the ledger keeps its data: <c>Routing:Ledger</c>, and the server's data directory
/// (<c>Routing:DataDirectory</c>), where the embedded engine keeps its file. The silo binds and checks them.
/// </summary>
public sealed class LedgerOptions
{
    public const string Section = "Routing:Ledger";

    /// <summary>The directory holding the SQLite file <c>routing.db</c>. Default <c>./data</c>, relative to the working
    /// directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The most writes committed in one transaction. Default 512.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>What is wrong with the settings, each naming its key; empty when they are sound.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            yield return "Routing:DataDirectory must name the server's data directory.";
        }
        if (MaxBatchSize is < 1 or > 10_000)
        {
            yield return $"{Section}:MaxBatchSize must be between 1 and 10000.";
        }
    }
}
