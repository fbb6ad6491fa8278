using System.Collections.Immutable;
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
// One server for the class (its tests only read from it): a server per test was most of the fast suite's time.
public sealed class HealthTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly ApiFactory _api = api;

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
            new(
                services.GetRequiredService<IClusterMembershipService>(),
                services.GetRequiredService<ILocalSiloDetails>(),
                ledger,
                lifetime
            );
        var running = services.GetRequiredService<IHostApplicationLifetime>();

        var healthy = await Check(services.GetRequiredService<ILedger>(), running).CheckHealthAsync(new HealthCheckContext());
        var noLedger = await Check(DispatchProxy.Create<ILedger, Unreachable>(), running).CheckHealthAsync(new HealthCheckContext());
        var stopping = await Check(services.GetRequiredService<ILedger>(), new Stopping()).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal((HealthStatus.Unhealthy, "the ledger does not answer"), (noLedger.Status, noLedger.Description));
        Assert.Equal((HealthStatus.Unhealthy, "shutting down"), (stopping.Status, stopping.Description));
    }

    [Fact]
    public async Task ReadyAnswers503WhileTheLedgerIsUnreachableAnd200AgainOnceItAnswers()
    {
        var outage = (Outage)(object)DispatchProxy.Create<IOutageLedger, Outage>();
        await using var api = new ApiFactory
        {
            WithServices = services =>
                services.AddSingleton<ILedger>(sp => outage.Over(ActivatorUtilities.CreateInstance<SqliteLedger>(sp))),
        };
        var http = api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

        outage.Down = true;
        var down = await http.GetAsync("/health/ready");
        var live = await http.GetAsync("/health/live");
        outage.Down = false;
        var back = await http.GetAsync("/health/ready");

        Assert.Equal(
            (HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.OK),
            (down.StatusCode, live.StatusCode, back.StatusCode)
        );
    }

    [Theory]
    [InlineData(SiloStatus.Created)]
    [InlineData(SiloStatus.Joining)]
    [InlineData(SiloStatus.ShuttingDown)]
    [InlineData(SiloStatus.Dead)]
    public async Task ASiloNotYetOrNoLongerActiveInItsClusterIsNotReady(SiloStatus status)
    {
        _ = _api.CreateClient();
        var services = _api.Services;
        var self = services.GetRequiredService<ILocalSiloDetails>();
        var membership = new Membership(
            new ClusterMembershipSnapshot(
                ImmutableDictionary<SiloAddress, ClusterMember>.Empty.Add(
                    self.SiloAddress,
                    new ClusterMember(self.SiloAddress, status, "self")
                ),
                new MembershipVersion(1)
            )
        );

        var result = await new ReadinessCheck(
            membership,
            self,
            services.GetRequiredService<ILedger>(),
            services.GetRequiredService<IHostApplicationLifetime>()
        ).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal((HealthStatus.Unhealthy, $"silo is {status}"), (result.Status, result.Description));
    }

    /// <summary>A membership that stays at one snapshot.</summary>
    private sealed class Membership(ClusterMembershipSnapshot snapshot) : IClusterMembershipService
    {
        public ClusterMembershipSnapshot CurrentSnapshot => snapshot;

        public IAsyncEnumerable<ClusterMembershipSnapshot> MembershipUpdates => throw new NotSupportedException();

        public ValueTask Refresh(MembershipVersion minimumVersion = default, CancellationToken cancellationToken = default) =>
            ValueTask.CompletedTask;

        public Task<bool> TryKill(SiloAddress siloAddress) => Task.FromResult(false);
    }

    /// <summary>What <see cref="Outage"/> stands in for: a ledger the host also disposes.</summary>
    public interface IOutageLedger : ILedger, IAsyncDisposable;

    /// <summary>The host's ledger with a switch: while <see cref="Down"/>, every call fails as if the database were gone.</summary>
    public class Outage : DispatchProxy
    {
        private object? _ledger;

        public bool Down { get; set; }

        public ILedger Over(SqliteLedger ledger)
        {
            _ledger = ledger;
            return (ILedger)(object)this;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (Down && targetMethod?.Name != nameof(IAsyncDisposable.DisposeAsync))
            {
                throw new InvalidOperationException("connection refused");
            }
            try
            {
                return targetMethod!.Invoke(_ledger, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
        }
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

        public void StopApplication() { }
    }
}
