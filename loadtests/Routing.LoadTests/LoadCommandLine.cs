using System.CommandLine;

namespace Routing.LoadTests;

/// <summary>The simulator's command line: its options, parsed into <see cref="LoadOptions"/> for an action.</summary>
public static class LoadCommandLine
{
    public static RootCommand Create(IReadOnlyList<string> args, Func<LoadOptions, CancellationToken, Task<int>> run)
    {
        var mode = new Option<string>("--mode")
        {
            Description =
                "engine (grains in-process), e2e (a server over HTTP and SignalR), report (time a month's interval report), knowledge "
                + "(time the knowledge base's search over 10,000 articles), or audit (replay a ledger's timelines: --ledger or --postgres)",
            DefaultValueFactory = _ => "engine",
        };
        var scenario = new Option<string>("--scenario")
        {
            Description = "singles-day, capacity, overload, burst, hot-queue, smoke, or a scenario JSON file",
            DefaultValueFactory = _ => "singles-day",
        };
        var rate = new Option<double?>("--rate") { Description = "override the base arrival rate (conversations/s)" };
        var agents = new Option<int?>("--agents") { Description = "override the number of agents" };
        var selfService = new Option<double?>("--self-service")
        {
            Description = "override the share of chat and social arrivals resolved by the self-service step (0 to 1; 0 turns the step off)",
        };
        var server = new Option<Uri?>("--server")
        {
            Description = "e2e: the server to drive; without it, one is started from the build output",
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                {
                    return uri;
                }
                result.AddError($"--server must be an http(s) address such as http://127.0.0.1:5080, not '{text}'.");
                return null;
            },
        };
        var token = new Option<string?>("--token")
        {
            Description =
                "e2e with --server: an admin's bearer token (sign in with POST /api/auth/token); without it, the server's Development "
                + "sign-in",
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (text.Length > 0 && text.All(c => c is > ' ' and < (char)127))
                {
                    return text;
                }
                result.AddError("--token must be the bearer token alone (printable, no spaces, no 'Bearer ' in front).");
                return null;
            },
        };
        var baselines = new Option<string>("--baselines")
        {
            Description = "baselines to run on the same scenario: r, p, r,p or none",
            DefaultValueFactory = _ => "r,p",
        };
        var postgres = new Option<string?>("--postgres")
        {
            Description = "connection string for baseline P (default: $ROUTING_LOADTEST_POSTGRES)",
        };
        var workers = new Option<int>("--workers") { Description = "assignment workers of baseline P", DefaultValueFactory = _ => 8 };
        var output = new Option<string?>("--out") { Description = "directory for report.md, report.json and the charts" };
        var warmup = new Option<double>("--warmup")
        {
            Description = "seconds at the scenario's base rate before the measured night, drained first and not counted (0: none)",
            DefaultValueFactory = _ => 15,
        };
        var silos = new Option<IReadOnlyList<int>?>("--silos")
        {
            Description =
                "e2e without --server: start a cluster of N silos on PostgreSQL (--postgres) and spread the load over them; a list "
                + "(1,2,3) runs each size in turn and reports the cluster's efficiency",
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                var sizes = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                var parsed = sizes
                    .Select(s =>
                        int.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 8 ? n : 0
                    )
                    .ToList();
                if (parsed.Count == 0 || parsed.Contains(0))
                {
                    result.AddError($"--silos takes cluster sizes from 1 to 8, one or a list such as 1,2,3, not '{text}'.");
                    return null;
                }
                return parsed;
            },
        };
        var ledger = new Option<string?>("--ledger")
        {
            Description = "audit mode: the embedded ledger's data directory (the server's Routing:DataDirectory)",
        };
        var workspace = new Option<string>("--workspace")
        {
            Description = "audit mode: the workspace to audit",
            DefaultValueFactory = _ => "default",
        };
        var conversations = new Option<int?>("--conversations")
        {
            Description = "report mode: conversations in the month the interval report is timed on (default 1,000,000)",
        };

        var root = new RootCommand(
            "The Singles'-Day peak simulator: drives the routing server, measures it, checks its invariants, and runs the baselines on "
                + "the same scenario."
        )
        {
            mode,
            scenario,
            rate,
            agents,
            selfService,
            server,
            token,
            baselines,
            postgres,
            workers,
            output,
            warmup,
            silos,
            conversations,
            ledger,
            workspace,
        };
        root.Validators.Add(result =>
        {
            if (result.GetValue(selfService) is < 0 or > 1)
            {
                result.AddError("--self-service is a share from 0 (no self-service step) to 1.");
            }
            if (result.GetValue(warmup) is < 0 or > 600)
            {
                result.AddError("--warmup must be between 0 and 600 seconds.");
            }
            if (result.GetResult(silos) is not null && (result.GetValue(mode) != "e2e" || result.GetResult(server) is not null))
            {
                result.AddError("--silos goes with --mode e2e and no --server: the tool starts the cluster itself.");
            }
            if (
                (result.GetResult(ledger) is not null || result.GetResult(workspace) is { Implicit: false })
                && result.GetValue(mode) != "audit"
            )
            {
                result.AddError("--ledger and --workspace go with --mode audit.");
            }
            if (result.GetValue(mode) == "audit" && (result.GetResult(ledger) is null) == (result.GetResult(postgres) is null))
            {
                result.AddError("--mode audit reads one ledger: --ledger DIR (the embedded one) or --postgres CONNECTION.");
            }
            if (result.GetResult(token) is not null && result.GetResult(server) is null)
            {
                result.AddError("--token goes with --server: the server the tool starts itself is signed in to without one.");
            }
        });
        root.SetAction(
            (parse, cancellationToken) =>
                run(
                    new LoadOptions(
                        parse.GetValue(mode)!,
                        parse.GetValue(scenario)!,
                        parse.GetValue(rate),
                        parse.GetValue(agents),
                        parse.GetValue(server),
                        parse.GetValue(baselines)!,
                        parse.GetValue(postgres) ?? Environment.GetEnvironmentVariable("ROUTING_LOADTEST_POSTGRES"),
                        parse.GetValue(workers),
                        parse.GetValue(output),
                        LoadOptions.Quote(args),
                        parse.GetValue(conversations),
                        parse.GetValue(token),
                        parse.GetValue(warmup),
                        parse.GetValue(silos),
                        parse.GetValue(ledger),
                        parse.GetValue(workspace)!,
                        parse.GetValue(selfService)
                    ),
                    cancellationToken
                )
        );
        return root;
    }
}
