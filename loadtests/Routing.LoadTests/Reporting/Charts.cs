using Routing.LoadTests.Simulation;
using ScottPlot;

namespace Routing.LoadTests.Reporting;

/// <summary>PNG charts of a run: throughput, latency and backlog over time, every target on the same axes.</summary>
public static class Charts
{
    public static void Write(string directory, IReadOnlyList<RunResult> runs)
    {
        Plot(directory, "throughput.png", "Connected per second", "conversations/s", runs, s => s.ConnectedPerSecond, withTarget: true);
        Plot(
            directory,
            "latency.png",
            "Enqueue → offer, p99 of each second",
            "ms",
            runs,
            s => s.OfferP99Ms ?? double.NaN,
            withTarget: false
        );
        Plot(directory, "backlog.png", "Waiting for an offer", "conversations", runs, s => s.Backlog, withTarget: false);
    }

    private static void Plot(
        string directory,
        string file,
        string title,
        string unit,
        IReadOnlyList<RunResult> runs,
        Func<SecondFigures, double> value,
        bool withTarget
    )
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel("seconds");
        plot.YLabel(unit);
        foreach (var run in runs)
        {
            var seconds = run.Seconds;
            if (seconds.Count == 0)
            {
                continue;
            }
            var line = plot.Add.Scatter(seconds.Select(s => s.Elapsed).ToArray(), seconds.Select(value).ToArray());
            line.LegendText = run.Target;
            line.MarkerSize = 0;
        }
        if (withTarget && runs.Count > 0 && runs[0].Seconds.Count > 0)
        {
            var arrivals = plot.Add.Scatter(
                runs[0].Seconds.Select(s => s.Elapsed).ToArray(),
                runs[0].Seconds.Select(s => s.TargetRate).ToArray()
            );
            arrivals.LegendText = "arrival rate";
            arrivals.LinePattern = LinePattern.Dashed;
            arrivals.MarkerSize = 0;
        }
        plot.ShowLegend();
        plot.SavePng(Path.Combine(directory, file), 1000, 500);
    }
}
