using System.Diagnostics;
using System.Text;

namespace Routing.Tests.Infrastructure;

/// <summary>
/// The real server as its own operating-system process (<c>Routing.Silo.dll</c> from its build output), on
/// loopback ports of its own and a data directory the test chooses — so a test can kill it hard and start it
/// again on the same data.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(string Text, TaskCompletionSource Seen)> _awaited = [];

    private bool _startedByDotnetRun;

    private SiloProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The port this silo talks to other silos on: in cluster mode, its row's port in the membership table.</summary>
    public int SiloPort =>
        int.Parse(_process.StartInfo.Environment["Routing__Cluster__SiloPort"]!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Completes once the process has written a line containing <paramref name="text"/> (already or later).</summary>
    public Task OutputSeen(string text)
    {
        lock (_output)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _awaited.Add((text, seen));
            return seen.Task;
        }
    }

    /// <summary>Completes when the process has exited, however it ended.</summary>
    public Task WaitForExitAsync() => _process.WaitForExitAsync();

    /// <summary>The exit code, once the process has exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// SIGSTOP: the process stops where it is — a long garbage collection, a frozen VM — holding its sockets and its
    /// database connections open, until <see cref="ResumeAsync"/>.
    /// </summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT: the paused process carries on from where it stopped, its timers long overdue.</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} failed ({kill.ExitCode})");
        }
    }

    /// <summary>Starts the silo and returns once it says it is listening (its start-up recovery is done by then).</summary>
    public static Task<SiloProcess> StartAsync(string dataDirectory) => StartAsync(dataDirectory, new Dictionary<string, string>());

    /// <summary>A silo on <paramref name="port"/>: started again on the same one, its clients reconnect to it by themselves.</summary>
    public static Task<SiloProcess> StartOnPortAsync(string dataDirectory, int port) =>
        StartAsync(dataDirectory, new Dictionary<string, string>(), port: port);

    /// <summary>A silo in the Development environment: it offers the sign-in without a password (<c>/api/auth/dev-token</c>).</summary>
    public static Task<SiloProcess> StartInDevelopmentAsync(string dataDirectory) =>
        StartAsync(dataDirectory, new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Development" });

    /// <summary>
    /// A silo of a cluster on the PostgreSQL database of <paramref name="connectionString"/> (cluster mode), on
    /// loopback ports of its own.
    /// </summary>
    public static Task<SiloProcess> StartInClusterAsync(string connectionString) =>
        StartAsync(
            Path.Combine(Path.GetTempPath(), "routing-cluster-tests", Guid.NewGuid().ToString("N")),
            new Dictionary<string, string>
            {
                ["ConnectionStrings__Routing"] = connectionString,
                ["Routing__Cluster__AdvertisedAddress"] = "127.0.0.1",
            }
        );

    /// <summary>
    /// The silo as <c>dotnet run --project Silo/Routing.Silo</c> starts it, launch profile and all (without building),
    /// where only <paramref name="environment"/> may name an environment.
    /// </summary>
    public static Task<SiloProcess> StartWithDotnetRunAsync(string dataDirectory, IReadOnlyDictionary<string, string> environment) =>
        StartAsync(dataDirectory, environment, dotnetRun: true);

    private static async Task<SiloProcess> StartAsync(
        string dataDirectory,
        IReadOnlyDictionary<string, string> settings,
        bool dotnetRun = false,
        int? port = null
    )
    {
        var dll = SiloAssembly();
        port ??= FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dotnetRun ? Repository.Root : Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["Urls"] = $"http://127.0.0.1:{port}",
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["Routing__DataDirectory"] = dataDirectory,
                ["Routing__Cluster__SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Routing__Cluster__GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            },
        };
        if (dotnetRun)
        {
            var project = Path.Combine(Repository.Root, "Silo", "Routing.Silo");
            foreach (
                var argument in new[]
                {
                    "run",
                    "--project",
                    project,
                    "-c",
                    Configuration,
                    "--no-build",
                    "--",
                    "--urls",
                    $"http://127.0.0.1:{port}",
                }
            )
            {
                start.ArgumentList.Add(argument);
            }
            foreach (var chooser in new[] { "DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT" })
            {
                start.Environment.Remove(chooser);
            }
        }
        else
        {
            start.ArgumentList.Add(dll);
        }
        // Every silo of a cluster signs and checks tokens with the same key; the tests sign theirs with it too.
        foreach (
            var (key, value) in TestTokens
                .HostSettings()
                .Select(s => (s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value))
                .Concat(settings.Select(s => (s.Key, s.Value)))
        )
        {
            start.Environment[key] = value;
        }
        var silo = new SiloProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}")) { _startedByDotnetRun = dotnetRun };
        silo._process.OutputDataReceived += (_, e) => silo.Record(e.Data);
        silo._process.ErrorDataReceived += (_, e) => silo.Record(e.Data);
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();
        var exited = silo._process.WaitForExitAsync();
        var first = await Task.WhenAny(silo._listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(90)));
        if (first != silo._listening.Task)
        {
            await silo.DisposeAsync();
            throw new InvalidOperationException($"The silo did not start listening:\n{silo.Output}");
        }
        return silo;
    }

    /// <summary>
    /// SIGKILL: no graceful shutdown, nothing flushed that was not already durable. The signal is sent before this
    /// returns its task.
    /// </summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            // One signal to the silo, which starts no processes of its own: killing the process tree would first walk
            // it for tens of milliseconds, in which the silo goes on answering requests. Under `dotnet run` the silo is
            // the child: there the tree, or the orphaned silo would hold the output open and the wait below for ever.
            _process.Kill(entireProcessTree: _startedByDotnetRun);
        }
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
            _awaited.RemoveAll(a => line.Contains(a.Text, StringComparison.Ordinal) && a.Seen.TrySetResult());
        }
        if (line.Contains("Now listening on", StringComparison.Ordinal))
        {
            _listening.TrySetResult();
        }
    }

    /// <summary>The build configuration of this test assembly (Debug, Release).</summary>
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    /// <summary>The silo's own build output, in the same configuration as this test assembly.</summary>
    private static string SiloAssembly()
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory).Name;
        var dll = Path.Combine(Repository.Root, "Silo", "Routing.Silo", "bin", Configuration, framework, "Routing.Silo.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first: the silo's output is missing.", dll);
    }
}
