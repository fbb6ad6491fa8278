using Routing.LoadTests.Audit;
using Routing.LoadTests.Baselines;
using Routing.LoadTests.Reporting;
using Routing.LoadTests.Scenarios;
using Routing.LoadTests.Simulation;
using Routing.LoadTests.Targets;

namespace Routing.LoadTests;

public sealed record LoadOptions(
    string Mode,
    string Scenario,
    double? Rate,
    int? Agents,
    Uri? Server,
    string Baselines,
    string? Postgres,
    int Workers,
    string? Output,
    string CommandLine,
    int? Conversations = null,
    string? Token = null,
    double WarmupSeconds = 0,
    IReadOnlyList<int>? Silos = null,
    string? Ledger = null,
    string Workspace = "default",
    double? SelfServiceShare = null
)
{
    /// <summary>
    /// The arguments as a shell line for the report; the secrets shown as variables: the PostgreSQL connection
    /// string (it may hold a password) as <c>"$PG"</c>, the bearer token as <c>"$TOKEN"</c>.
    /// </summary>
    public static string Quote(IReadOnlyList<string> args) =>
        string.Join(
            ' ',
            args.Select(
                (arg, i) =>
                    i > 0 && args[i - 1] == "--postgres" ? "\"$PG\""
                    : i > 0 && args[i - 1] == "--token" ? "\"$TOKEN\""
                    : arg.StartsWith("--token=", StringComparison.Ordinal) || arg.StartsWith("--token:", StringComparison.Ordinal)
                        ? arg[..8] + "\"$TOKEN\""
                    : arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./=:,".Contains(c)) ? arg
                    : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'"
            )
        );
}

/// <summary>
/// One invocation: the product run, then each baseline on the same scenario, then the report. Exit 1 if an
/// invariant broke; 2 if the run could not start (<see cref="LoadSetupException"/>: the message says what to do).
/// </summary>
public static class LoadCommand
{
    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await RunOrFailAsync(options, cancellationToken);
        }
        catch (LoadSetupException e)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message);
            return 2;
        }
    }

    private static async Task<int> RunOrFailAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        if (options.Mode == "knowledge")
        {
            return await Knowledge.KnowledgeBenchmark.RunAsync(cancellationToken);
        }
        if (options.Mode == "report")
        {
            return await Reports.ReportBenchmark.RunAsync(options, cancellationToken);
        }
        if (options.Mode == "audit")
        {
            var source = options.Ledger is { } data ? LedgerSource.Sqlite(data) : LedgerSource.OnPostgres(options.Postgres!);
            var report = await source.AuditAsync(options.Workspace, acknowledged: null, cancellationToken);
            await Console.Out.WriteLineAsync(AuditText.Describe(report, $"{source}, workspace {options.Workspace}"));
            return report.Passed ? 0 : 1;
        }
        var scenario = Scenario.Load(options.Scenario);
        if (options.Rate is { } rate)
        {
            scenario = scenario with { Arrivals = scenario.Arrivals with { BaseRatePerSecond = rate } };
        }
        if (options.Agents is { } count)
        {
            scenario = scenario with { Agents = count };
        }
        if (options.SelfServiceShare is { } share)
        {
            scenario = scenario with { SelfServiceShare = share };
        }
        var log = Console.Out;
        var baselines = new List<RunResult>();
        RunResult product;
        if (options.Silos is { Count: > 0 } silos)
        {
            // One run per cluster size, the first the one the others are compared with.
            var runs = new List<RunResult>();
            foreach (var n in silos)
            {
                runs.Add(await RunClusterAsync(options, scenario, n, log, cancellationToken));
            }
            product = runs[0];
            baselines.AddRange(runs.Skip(1));
        }
        else
        {
            product = await RunProductAsync(options, scenario, log, cancellationToken);
        }
        var wanted = options.Baselines.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (wanted.Contains("r", StringComparer.OrdinalIgnoreCase))
        {
            baselines.Add(await RunAsync(new RawMatcherTarget(), scenario, options, log, cancellationToken));
        }
        if (wanted.Contains("p", StringComparer.OrdinalIgnoreCase))
        {
            if (options.Postgres is null)
            {
                await log.WriteLineAsync(
                    "baseline P skipped: no --postgres and no ROUTING_LOADTEST_POSTGRES (see loadtests/README or scripts/postgres.sh)"
                );
            }
            else
            {
                baselines.Add(
                    await RunAsync(new PostgresTarget(options.Postgres, options.Workers), scenario, options, log, cancellationToken)
                );
            }
        }
        var directory =
            options.Output
            ?? Path.Combine("loadtests", "results", $"{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}-{scenario.Name}-{product.Target}");
        var markdown = await Report.WriteAsync(
            directory,
            product,
            baselines,
            "dotnet run --project loadtests/Routing.LoadTests -c Release -- " + options.CommandLine
        );
        await log.WriteLineAsync();
        await log.WriteLineAsync(markdown);
        await log.WriteLineAsync($"report: {Path.GetFullPath(directory)}");
        return baselines.Prepend(product).All(r => r.Passed) ? 0 : 1;
    }

    private static async Task<RunResult> RunProductAsync(
        LoadOptions options,
        Scenario scenario,
        TextWriter log,
        CancellationToken cancellationToken
    )
    {
        if (options.Mode == "engine")
        {
            return await RunAsync(new EngineTarget(), scenario, options, log, cancellationToken);
        }
        if (options.Mode != "e2e")
        {
            throw new ArgumentException($"Unknown mode '{options.Mode}': engine or e2e.");
        }
        if (options.Server is { } address)
        {
            string token;
            using (var http = AdminToken.Client(address))
            {
                token = await AdminToken.ForServerAsync(http, options.Token, log, cancellationToken);
            }
            return await RunAsync(new EndToEndTarget([address], token, []), scenario, options, log, cancellationToken);
        }
        await using var server = await ServerProcess.StartAsync(log, cancellationToken);
        return await RunAsync(
            new EndToEndTarget([server.Address], server.Token, [server.Process], ledger: LedgerSource.Sqlite(server.DataDirectory)),
            scenario,
            options,
            log,
            cancellationToken
        );
    }

    /// <summary>End to end through a cluster of <paramref name="silos"/> this tool starts on PostgreSQL.</summary>
    private static async Task<RunResult> RunClusterAsync(
        LoadOptions options,
        Scenario scenario,
        int silos,
        TextWriter log,
        CancellationToken cancellationToken
    )
    {
        var postgres =
            options.Postgres
            ?? throw new LoadSetupException(
                "--silos runs the silos on PostgreSQL: pass --postgres (or set ROUTING_LOADTEST_POSTGRES); scripts/postgres.sh start "
                    + "DIR starts a throwaway one."
            );
        await using var cluster = await ServerCluster.StartAsync(silos, postgres, log, cancellationToken);
        var target = new EndToEndTarget(
            [.. cluster.Silos.Select(s => s.Address)],
            cluster.Silos[0].Token,
            [.. cluster.Silos.Select(s => s.Process)],
            silos,
            LedgerSource.OnPostgres(cluster.ConnectionString)
        );
        return await RunAsync(target, scenario, options, log, cancellationToken) with { Silos = silos };
    }

    private static async Task<RunResult> RunAsync(
        ITarget target,
        Scenario scenario,
        LoadOptions options,
        TextWriter log,
        CancellationToken cancellationToken
    )
    {
        await using (target)
        {
            var result = await new LoadRunner(scenario, target, log, TimeSpan.FromSeconds(options.WarmupSeconds)).RunAsync(
                cancellationToken
            );
            await log.WriteLineAsync(
                $"[{target.Name}] done: {result.Connected:N0} connected, sustained {result.SustainedConnectedPerSecond:N0}/s, "
                    + $"p99 enqueue→offer {result.EnqueueToOffer.P99:0.0} ms, {result.Refused:N0} refused at the door, "
                    + $"{result.Errors:N0} of {result.Calls:N0} calls failed, "
                    + $"invariants {(result.Violations.Count == 0 ? "held" : "BROKEN")}"
                    + (
                        result.SelfService is { InTarget: true } step
                            ? $", {step.Deflected:N0} deflected, {step.Escalated:N0} escalated"
                            : ""
                    )
                    + (result.Cost is { } cost ? $", server CPU {cost.ServerCpuMicros:N0} µs per conversation" : "")
            );
            return result;
        }
    }
}
