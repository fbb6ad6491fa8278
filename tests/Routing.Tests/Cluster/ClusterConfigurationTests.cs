using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Routing.Ledger;
using Routing.Silo;

namespace Routing.Tests.Cluster;

/// <summary>Cluster mode refuses a configuration that would fail customers later, and says what is missing.</summary>
public sealed class ClusterConfigurationTests
{
    [Fact]
    public void ClusterModeWithoutASharedSigningKeyRefusesToStart()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["ConnectionStrings:Routing"] = "Host=127.0.0.1;Username=postgres;Database=routing";

        var refused = Assert.Throws<InvalidOperationException>(() => builder.AddRoutingSilo());

        Assert.Contains("Routing:Auth:SigningKey", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterModeWithAKeyKeepsItsLedgerOnPostgreSql()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["ConnectionStrings:Routing"] = "Host=127.0.0.1;Username=postgres;Database=routing";
        builder.Configuration["Routing:Auth:SigningKey"] = Convert.ToBase64String(new byte[32]);

        await using var app = builder.AddRoutingSilo().Build();

        Assert.IsType<PostgresLedger>(app.Services.GetRequiredService<ILedger>());
    }
}
