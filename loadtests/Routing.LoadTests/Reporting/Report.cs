using System.Globalization;
using System.Text;
using System.Text.Json;
using Routing.LoadTests.Audit;
using Routing.LoadTests.Simulation;

namespace Routing.LoadTests.Reporting;

/// <summary>Writes a run as Markdown (for people), JSON (for tools) and PNG charts, and judges the targets.</summary>
public static class Report
{
    public static async Task<string> WriteAsync(string directory, RunResult product, IReadOnlyList<RunResult> baselines, string command)
    {
        Directory.CreateDirectory(directory);
        var all = baselines.Prepend(product).ToList();
        await File.WriteAllTextAsync(
            Path.Combine(directory, "report.json"),
            JsonSerializer.Serialize(new { command, runs = all }, Scenarios.Scenario.Json)
        );
        Charts.Write(directory, all);
        var markdown = Markdown(product, baselines, command);
        await File.WriteAllTextAsync(Path.Combine(directory, "report.md"), markdown);
        return markdown;
    }

    public static string Markdown(RunResult product, IReadOnlyList<RunResult> baselines, string command)
    {
        var c = CultureInfo.InvariantCulture;
        var all = baselines.Prepend(product).ToList();
        var md = new StringBuilder();
        var failed = all.Where(r => !r.Passed).Select(Verdict).ToList();
        md.AppendLine(
            c,
            $"# Load run: {product.Scenario.Name}, {product.Target}{(failed.Count == 0 ? "" : " — FAILED: " + string.Join("; ", failed))}"
        );
        md.AppendLine();
        md.AppendLine(
            c,
            $"`{command}` — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, "
                + $"generator in the same machine."
        );
        md.AppendLine();
        var a = product.Scenario.Arrivals;
        md.AppendLine(
            c,
            $"Scenario: {product.Scenario.Agents} agents "
                + $"({string.Join(", ", product.Scenario.Capacity.Select(k => $"{k.Key} {k.Value}"))}), "
                + $"{product.Scenario.Queues.Count} queues; arrivals {a.BaseRatePerSecond:0}/s for {a.WarmupSeconds:0} s, "
                + $"×{a.PeakMultiplier:0} at midnight for {a.PeakSeconds:0} s, "
                + $"decay over {a.DecaySeconds:0} s, {a.CooldownSeconds:0} s more; handle time {product.Scenario.HandleSecondsMean} s "
                + $"mean; accept delay {product.Scenario.AcceptDelayMsMean} ms mean; "
                + $"{product.Scenario.DeclineRate:P0} declined; patience {product.Scenario.PatienceSecondsMean} s mean."
        );
        if (product.Scenario.SelfServiceShare > 0)
        {
            md.AppendLine(
                c,
                $"Self-service: chat and social queues answer first with the knowledge base (bot-first, one article per queue); "
                    + $"{product.Scenario.SelfServiceShare:P0} of those customers resolve with the answer after "
                    + $"{product.Scenario.SelfServiceSecondsMean} s mean, the rest escalate and wait for a person from then. "
                    + $"The baselines have no step: they are given only the escalated arrivals, when they escalate, since that is what "
                    + $"their human queues would see; the resolved ones never reach them. The queue figures below (offered, "
                    + $"connected, abandoned, service level, waits) are those of the conversations that entered a line."
            );
        }
        if (product.WarmupSeconds > 0)
        {
            md.AppendLine(c, $"Before it, {product.WarmupSeconds:0} s at the base rate to warm the server up, drained and not counted.");
        }
        md.AppendLine();
        md.AppendLine("| | " + string.Join(" | ", all.Select(r => r.Target)) + " |");
        md.AppendLine("| --- |" + string.Concat(all.Select(_ => " ---: |")));
        if (all.Any(r => r.SelfService is not null))
        {
            Row(md, "arrivals", all, r => r.SelfService?.Arrivals.ToString("N0", c) ?? "–");
        }
        Row(md, "created", all, r => r.Created.ToString("N0", c));
        if (all.Any(r => r.SelfService is not null))
        {
            Row(
                md,
                "self-service: took the step / deflected (resolved) / escalated",
                all,
                r =>
                    r.SelfService switch
                    {
                        null => "–",
                        { InTarget: true } f => $"{f.SelfServed:N0} / {f.Deflected:N0} / {f.Escalated + f.EscalatedAtOnce:N0}"
                            + (f.EscalatedAtOnce > 0 ? $" ({f.EscalatedAtOnce:N0} at once: no answer)" : "")
                            + (f.LeftStep > 0 ? $", {f.LeftStep:N0} left the step" : ""),
                        var f => $"no step: {f.LeftToSelfService:N0} left out as resolved / {f.Escalated:N0} sent as escalated",
                    }
            );
            Row(
                md,
                "deflection rate (resolved ÷ took the step)",
                all,
                r => r.SelfService?.DeflectionRate is { } d ? d.ToString("P1", c) : "–"
            );
            Row(md, "entered a human queue (no step, or escalated)", all, r => r.SelfService?.EnteredLine.ToString("N0", c) ?? "–");
        }
        Row(
            md,
            "refused at the door (503 overloaded)",
            all,
            r => r.Refused == 0 ? "0" : $"{r.Refused:N0} ({100.0 * r.Refused / (r.Refused + r.Created):0.0} % of arrivals)"
        );
        Row(md, "connected / completed / abandoned", all, r => $"{r.Connected:N0} / {r.Completed:N0} / {r.Abandoned:N0}");
        Row(md, "sustained connected/s (best 5 s)", all, r => r.SustainedConnectedPerSecond.ToString("N0", c));
        Row(md, "enqueue→offer p50 / p95 / p99 / max ms", all, r => L(r.EnqueueToOffer));
        Row(md, "offer→connected p50 / p95 / p99 / max ms", all, r => L(r.OfferToConnected));
        Row(md, "service level %", all, r => r.ServiceLevelPercent?.ToString("0.0", c) ?? "–");
        Row(md, "abandoned % (of those that entered a line)", all, r => r.AbandonedPercent.ToString("0.0", c));
        Row(md, "midnight step drained after (s)", all, r => r.PeakDrainSeconds?.ToString("0", c) ?? "–");
        Row(
            md,
            $"connected/s during the ×{a.PeakMultiplier:0} step ÷ before it",
            all,
            r => r.StepThroughputRatio?.ToString("0.00", c) ?? "–"
        );
        Row(
            md,
            "server CPU (cores, mean) / memory max MB",
            all,
            r => r.ServerMemoryMbMax > 0 ? $"{r.ServerCpuCoresAverage:0.00} / {r.ServerMemoryMbMax:0}" : "–"
        );
        Row(
            md,
            "server CPU per conversation (µs)",
            all,
            r => r.Cost is { } k ? $"{k.ServerCpuMicros:N0}{(k.GeneratorInServerProcess ? " (generator included)" : "")}" : "–"
        );
        Row(
            md,
            "generator CPU per conversation (µs)",
            all,
            r =>
                r.Cost?.GeneratorCpuMicros is { } g ? g.ToString("N0", c)
                : r.Cost is { GeneratorInServerProcess: true } ? "in the server's"
                : "–"
        );
        Row(md, "allocated per conversation (KB)", all, r => r.Cost?.AllocatedBytes is { } b ? (b / 1024).ToString("N1", c) : "–");
        Row(
            md,
            "ledger writes / commits (fsyncs) per conversation",
            all,
            r => r.Cost is { LedgerWrites: { } w, LedgerCommits: { } k } ? $"{w:0.00} / {k:0.00}" : "–"
        );
        Row(
            md,
            "heard offered to a second agent first / confirmed on the server's record",
            all,
            r => $"{r.SuspectedDoubleOffers:N0} / {r.ConfirmedDoubleOffers:N0}"
        );
        Row(md, "failed calls", all, r => r.Errors == 0 ? $"0 of {r.Calls:N0}" : $"{r.Errors:N0} of {r.Calls:N0} ({r.FailedShare:P2})");
        Row(md, "invariants", all, r => r.Violations.Count == 0 ? "held" : $"**{r.Violations.Count} broken**");
        Row(
            md,
            "ledger audit: conversations / acknowledged missing / held by two or illegal step / over capacity",
            all,
            r =>
                r.Audit is { } a
                    ? $"{a.Conversations:N0} / {a.MissingAcknowledged.Count:N0} / "
                        + $"{a.Count(LedgerAudit.HeldByTwo) + a.Count(LedgerAudit.IllegalStep):N0} / {a.Count(LedgerAudit.OverCapacity):N0}"
                    : "–"
        );
        Row(
            md,
            "ledger audit: overtaken by a later arrival of the same or lower priority",
            all,
            r => r.Audit is { } a ? string.Create(c, $"{a.Overtaken:N0} of {a.OrderedConversations:N0} ({a.OvertakenShare:P2})") : "–"
        );
        md.AppendLine();
        foreach (var baseline in baselines)
        {
            md.AppendLine(
                c,
                $"- {product.Target} / {baseline.Target}: sustained connected/s "
                    + $"×{Ratio(product.SustainedConnectedPerSecond, baseline.SustainedConnectedPerSecond)}, "
                    + $"p99 enqueue→offer ×{Ratio(product.EnqueueToOffer.P99, baseline.EnqueueToOffer.P99)}"
            );
        }
        if (all.Any(r => r.Silos > 1) && product.Cost is { } one)
        {
            foreach (var r in all.Where(r => r.Silos > 1 && r.Cost is not null))
            {
                md.AppendLine(
                    c,
                    $"- Cluster of {r.Silos}: server CPU per conversation {r.Cost!.ServerCpuMicros:N0} µs against "
                        + $"{one.ServerCpuMicros:N0} µs with {product.Silos}: "
                        + $"efficiency cost({product.Silos}) ÷ cost({r.Silos}) = {one.ServerCpuMicros / r.Cost.ServerCpuMicros:0.00}."
                );
            }
        }
        if (product.PeakSeconds > 0)
        {
            var drained = product.PeakDrainSeconds is { } d && d <= 2 * product.PeakSeconds;
            md.AppendLine(c, $"- Midnight step of {product.PeakSeconds:0} s drained within twice its length: {(drained ? "yes" : "no")}.");
        }
        foreach (var r in all.Where(r => !r.Passed || r.ErrorSamples.Count > 0))
        {
            md.AppendLine();
            md.AppendLine(c, $"## {r.Target}: problems");
            foreach (var v in r.Violations)
            {
                md.AppendLine(c, $"- invariant: {v}");
            }
            foreach (var e in r.ErrorSamples)
            {
                md.AppendLine(c, $"- error: {e}");
            }
        }
        md.AppendLine();
        md.AppendLine("Charts: `throughput.png` (per second), `latency.png` (p99 enqueue→offer per second), `backlog.png`.");
        return md.ToString();
    }

    /// <summary>Why a run failed, for the report's first line.</summary>
    private static string Verdict(RunResult r)
    {
        var why = new List<string>();
        if (r.Violations.Count > 0)
        {
            why.Add($"{r.Violations.Count} invariant(s) broken");
        }
        if (r.FailedShare > RunResult.MaxFailedShare)
        {
            why.Add(
                string.Create(CultureInfo.InvariantCulture, $"{r.FailedShare:P2} of calls failed (more than {RunResult.MaxFailedShare:P1})")
            );
        }
        return $"{r.Target}: {string.Join(", ", why)}";
    }

    private static void Row(StringBuilder md, string name, IEnumerable<RunResult> runs, Func<RunResult, string> value) =>
        md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {string.Join(" | ", runs.Select(value))} |");

    private static string L(Latency l) =>
        string.Create(CultureInfo.InvariantCulture, $"{l.P50:0.0} / {l.P95:0.0} / {l.P99:0.0} / {l.Max:0}");

    private static string Ratio(double a, double b) =>
        b <= 0 ? "–" : (a / b).ToString(a / b < 0.1 ? "0.0000" : "0.00", CultureInfo.InvariantCulture);
}
