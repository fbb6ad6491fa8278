using System.Globalization;

namespace Routing.LoadTests.Simulation;

/// <summary>
/// What the system under test had spent by a moment of the run, summed over every server process the target
/// drives: CPU time, bytes allocated, ledger writes and the transactions (each one flush of the log to disk) they
/// went in. Null where the target cannot see a figure.
/// </summary>
public sealed record ServerCounters(TimeSpan Cpu, long? AllocatedBytes, long? LedgerWrites, long? LedgerCommits, int Processes)
{
    public static ServerCounters Sum(IReadOnlyList<ServerCounters> each) =>
        new(
            TimeSpan.FromTicks(each.Sum(c => c.Cpu.Ticks)),
            each.All(c => c.AllocatedBytes is not null) ? each.Sum(c => c.AllocatedBytes!.Value) : null,
            each.All(c => c.LedgerWrites is not null) ? each.Sum(c => c.LedgerWrites!.Value) : null,
            each.All(c => c.LedgerCommits is not null) ? each.Sum(c => c.LedgerCommits!.Value) : null,
            each.Sum(c => c.Processes)
        );

    /// <summary>Reads the figures out of a server's <c>/metrics</c> page (the Prometheus text format).</summary>
    public static ServerCounters FromPrometheus(string text)
    {
        double? cpu = null,
            allocated = null,
            writes = null,
            commits = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var space = line.LastIndexOf(' ');
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var name = line[..(brace >= 0 && brace < space ? brace : space)];
            if (space < 0 || !double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }
            switch (name)
            {
                case "process_cpu_seconds_total":
                    cpu = value;
                    break;
                case "system_runtime_dotnet_gc_heap_total_allocated":
                    allocated = value;
                    break;
                case "routing_ledger_writes":
                    writes = value;
                    break;
                case "routing_ledger_commits":
                    commits = value;
                    break;
            }
        }
        return new ServerCounters(
            TimeSpan.FromSeconds(cpu ?? throw new FormatException("The metrics page has no process_cpu_seconds_total.")),
            (long?)allocated,
            (long?)writes,
            (long?)commits,
            1
        );
    }
}

/// <summary>
/// The cost of one conversation over its whole life — create, offer, accept, complete, wrap-up, and its share of the
/// refusals at the door — from the server's counters at the start and the end of the run's traffic, divided by the
/// conversations created. <see cref="GeneratorCpuMicros"/> is the load tool's own CPU in end-to-end mode, so a reader
/// sees how much of the machine the server had; in engine mode the generator shares the server's process and its
/// CPU is inside <see cref="ServerCpuMicros"/> (<see cref="GeneratorInServerProcess"/>).
/// </summary>
public sealed record ConversationCost(
    long Conversations,
    int ServerProcesses,
    double ServerCpuMicros,
    double? AllocatedBytes,
    double? LedgerWrites,
    double? LedgerCommits,
    double? GeneratorCpuMicros,
    bool GeneratorInServerProcess
)
{
    public static ConversationCost? Between(
        ServerCounters? before,
        ServerCounters? after,
        TimeSpan? generatorCpu,
        long conversations,
        bool generatorInServer
    )
    {
        if (before is null || after is null || conversations <= 0)
        {
            return null;
        }
        double Per(long? a, long? b) => (double)(a!.Value - b!.Value) / conversations;
        return new ConversationCost(
            conversations,
            after.Processes,
            (after.Cpu - before.Cpu).TotalMicroseconds / conversations,
            after.AllocatedBytes is null || before.AllocatedBytes is null ? null : Per(after.AllocatedBytes, before.AllocatedBytes),
            after.LedgerWrites is null || before.LedgerWrites is null ? null : Per(after.LedgerWrites, before.LedgerWrites),
            after.LedgerCommits is null || before.LedgerCommits is null ? null : Per(after.LedgerCommits, before.LedgerCommits),
            generatorInServer || generatorCpu is null ? null : generatorCpu.Value.TotalMicroseconds / conversations,
            generatorInServer
        );
    }
}
