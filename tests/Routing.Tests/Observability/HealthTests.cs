using System.Net;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Routing.Ledger;
using Routing.Silo.Observability;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Observability;

/// <summary><c>/health/live</c> and <c>/health/ready</c>: ready only when the silo can serve.</summary>
public sealed class HealthTests : IAsyncLifetime
{
    private readonly ApiFactory _api = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task ARunningSiloIsLiveAndReady()
    {
        var http = _api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task ASiloWhoseLedgerDoesNotAnswerOrThatIsStoppingIsNotReady()
    {
        _ = _api.CreateClient(); // starts the silo
        var services = _api.Services;
        ReadinessCheck Check(ILedger ledger, IHostApplicationLifetime lifetime) =>
            new(services.GetRequiredService<IClusterMembershipService>(), services.GetRequiredService<ILocalSiloDetails>(), ledger, lifetime);
        var running = services.GetRequiredService<IHostApplicationLifetime>();

        var healthy = await Check(services.GetRequiredService<ILedger>(), running).CheckHealthAsync(new HealthCheckContext());
        var noLedger = await Check(DispatchProxy.Create<ILedger, Unreachable>(), running).CheckHealthAsync(new HealthCheckContext());
        var stopping = await Check(services.GetRequiredService<ILedger>(), new Stopping()).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal((HealthStatus.Unhealthy, "the ledger does not answer"), (noLedger.Status, noLedger.Description));
        Assert.Equal((HealthStatus.Unhealthy, "shutting down"), (stopping.Status, stopping.Description));
    }

    /// <summary>A ledger whose database cannot be reached: every call fails.</summary>
    public class Unreachable : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            throw new InvalidOperationException("connection refused");
    }

    private sealed class Stopping : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping { get; } = new(canceled: true);

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
