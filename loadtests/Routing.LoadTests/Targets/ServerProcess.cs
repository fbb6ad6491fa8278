using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Routing.LoadTests.Targets;

/// <summary>
/// For an end-to-end run without <c>--server</c>: the real server started as its own process, on a fresh data
/// directory, in Production — so with a signing key of its own and a first admin, both random, the tool signing in
/// as that admin once the server listens (<see cref="Token"/>).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const string AdminName = "loadtest";
    private readonly string _data;

    private ServerProcess(Process process, Uri address, string data)
    {
        Process = process;
        Address = address;
        _data = data;
    }

    public Process Process { get; }

    public Uri Address { get; }

    /// <summary>The first admin's bearer token, signed in once the server listens.</summary>
    public string Token { get; private set; } = "";

    /// <summary>The server's embedded ledger's directory (unused by a cluster member, whose ledger is PostgreSQL).</summary>
    public string DataDirectory => _data;

    public static Task<ServerProcess> StartAsync(TextWriter log, CancellationToken cancellationToken) =>
        StartAsync(log, null, cancellationToken);

    /// <summary>A server alone, or (<paramref name="cluster"/>) one silo of a cluster on PostgreSQL.</summary>
    internal static async Task<ServerProcess> StartAsync(TextWriter log, ClusterMember? cluster, CancellationToken cancellationToken)
    {
        var dll = FindServer();
        var port = FreePort();
        var data = Path.Combine(Path.GetTempPath(), "routing-load-server-" + Guid.NewGuid().ToString("N"));
        var password = cluster?.AdminPassword ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["Urls"] = $"http://127.0.0.1:{port}",
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["Routing__DataDirectory"] = data,
                ["Routing__Auth__SigningKey"] = cluster?.SigningKey ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["Routing__Auth__FirstAdmin__UserName"] = AdminName,
                ["Routing__Auth__FirstAdmin__Password"] = password,
                // The generator is one client (one admin token) doing the work of thousands of desks and customers:
                // the per-client and per-workspace limits, right for real callers, would refuse most of its load.
                ["Routing__RateLimits__ClientPerSecond"] = "0",
                ["Routing__RateLimits__WorkspacePerSecond"] = "0",
                ["Routing__Cluster__SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Routing__Cluster__GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            },
        };
        if (cluster is not null)
        {
            start.Environment["ConnectionStrings__Routing"] = cluster.ConnectionString;
            start.Environment["Routing__Cluster__ClusterId"] = cluster.ClusterId;
            start.Environment["Routing__Cluster__AdvertisedAddress"] = "127.0.0.1";
        }
        var server = new ServerProcess(
            Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"),
            new Uri($"http://127.0.0.1:{port}"),
            data
        );
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lastLines = new ConcurrentQueue<string>(); // what it said before it stopped, if it does not start
        server.Process.OutputDataReceived += (_, e) =>
        {
            Keep(e.Data);
            if (e.Data?.Contains("Now listening on", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }
        };
        server.Process.ErrorDataReceived += (_, e) => Keep(e.Data);
        server.Process.BeginOutputReadLine();
        server.Process.BeginErrorReadLine();
        var exited = server.Process.WaitForExitAsync(cancellationToken);
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(60), cancellationToken));
        if (first != listening.Task)
        {
            var why =
                first == exited
                    ? $"exited with code {(server.Process.HasExited ? server.Process.ExitCode : -1)}"
                    : "did not start listening within 60 s";
            await server.DisposeAsync();
            cancellationToken.ThrowIfCancellationRequested();
            throw new LoadSetupException(
                $"The server {why}. Its last lines:{Environment.NewLine}{string.Join(Environment.NewLine, lastLines)}"
            );
        }
        try
        {
            using var http = AdminToken.Client(server.Address);
            server.Token = await AdminToken.SignInAsync(http, "default", AdminName, password, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        await log.WriteLineAsync(
            $"started the server ({dll}) on {server.Address}, pid {server.Process.Id}; signed in as its first admin '{AdminName}'"
        );
        return server;

        void Keep(string? line)
        {
            if (line is not null)
            {
                lastLines.Enqueue(line);
                while (lastLines.Count > 30)
                {
                    lastLines.TryDequeue(out _);
                }
            }
        }

        string FindServer()
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Routing.sln")))
            {
                root = root.Parent;
            }
            foreach (var configuration in new[] { "Release", "Debug" })
            {
                var candidate = Path.Combine(
                    root?.FullName ?? ".",
                    "Silo",
                    "Routing.Silo",
                    "bin",
                    configuration,
                    "net10.0",
                    "Routing.Silo.dll"
                );
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
            throw new FileNotFoundException("Build the server first: dotnet build -c Release");
        }
    }

    /// <summary>What the silos of one cluster share: its database, its name, the signing key and the first admin's password.</summary>
    internal sealed record ClusterMember(string ConnectionString, string ClusterId, string SigningKey, string AdminPassword);

    /// <summary>A loopback TCP port nothing listens on right now.</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }
        Process.Dispose();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
