namespace Routing.Ledger;

/// <summary>Where and how the embedded ledger keeps its data. Bound from <c>Routing</c>.</summary>
public sealed class LedgerOptions
{
    /// <summary>The directory holding the SQLite file <c>routing.db</c>. Default <c>./data</c>, relative to the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The most writes committed in one transaction. Default 512.</summary>
    public int MaxBatchSize { get; set; } = 512;
}
