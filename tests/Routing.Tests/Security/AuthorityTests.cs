using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Routing.Tests.Infrastructure;

namespace Routing.Tests.Security;

/// <summary>
/// Tokens of an OpenID Connect provider (here a small one of our own, serving its discovery document and keys on
/// this machine) are accepted beside the server's own: the same claims, the same roles — staff roles only.
/// </summary>
public sealed class AuthorityTests : IAsyncLifetime
{
    private const string Audience = "routing-api";
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly int _port = FreePort.Next();
    private WebApplication _provider = null!;
    private ApiFactory _api = null!;

    private string Authority => $"http://127.0.0.1:{_port}";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Authority);
        _provider = builder.Build();
        var key = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = "k1" });
        _provider.MapGet(
            "/.well-known/openid-configuration",
            () => Results.Json(new Dictionary<string, object> { ["issuer"] = Authority, ["jwks_uri"] = Authority + "/jwks" })
        );
        _provider.MapGet(
            "/jwks",
            () =>
                Results.Json(
                    new
                    {
                        keys = new[]
                        {
                            new
                            {
                                kty = key.Kty,
                                kid = key.Kid,
                                use = "sig",
                                alg = "RS256",
                                n = key.N,
                                e = key.E,
                            },
                        },
                    }
                )
        );
        await _provider.StartAsync();
        _api = new ApiFactory
        {
            Settings =
            {
                ["Routing:Auth:Authority"] = Authority,
                ["Routing:Auth:Audience"] = Audience,
                ["Routing:Auth:RequireHttpsMetadata"] = "false",
            },
        };
        await _api.CreateClient().Put("/api/queues/care", new { name = "Care" });
        await _api.CreateClient().Put("/api/agents/ann", new { name = "Ann", queues = new[] { new { queueId = "care" } } });
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _provider.DisposeAsync();
        _rsa.Dispose();
    }

    [Fact]
    public async Task AProvidersTokenIsTakenWithItsWorkspaceRoleAndAgent()
    {
        var ann = _api.CreateClient()
            .WithToken(
                Token(
                    new()
                    {
                        ["workspace"] = "default",
                        ["role"] = "agent",
                        ["agent_id"] = "ann",
                    }
                )
            );

        var me = await (await ann.GetAsync("/api/auth/me")).Body();

        Assert.Equal("agent", me.GetProperty("role").GetString());
        Assert.Equal("ann", me.GetProperty("agentId").GetString());
        Assert.Equal(HttpStatusCode.OK, (await ann.Post("/api/agents/ann/status", new { status = "Available" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ann.Put("/api/queues/care", new { name = "Mine" })).StatusCode);
        var supervisor = _api.CreateClient().WithToken(Token(new() { ["workspace"] = "default", ["role"] = "supervisor" }));
        Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync("/api/queues/care/stats")).StatusCode);
    }

    [Fact]
    public async Task AProvidersTokenForAnotherAudienceOrNamingACustomerOrAnIntegrationIsRefused()
    {
        var otherAudience = _api.CreateClient()
            .WithToken(Token(new() { ["workspace"] = "default", ["role"] = "admin" }, audience: "someone-else"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await otherAudience.GetAsync("/api/queues")).StatusCode);
        var conversation = (
            await (
                await _api.CreateClient()
                    .Post(
                        "/api/conversations",
                        new
                        {
                            channel = "chat",
                            queueId = "care",
                            customer = new { id = "c" },
                        }
                    )
            ).Body()
        ).GetProperty("id").GetString()!;

        foreach (
            var claims in new Dictionary<string, object>[]
            {
                new()
                {
                    ["workspace"] = "default",
                    ["role"] = "customer",
                    ["conversation"] = conversation,
                },
                new() { ["workspace"] = "default", ["role"] = "integration" },
                new() { ["workspace"] = "default", ["role"] = "owner" },
                new() { ["role"] = "admin" },
            }
        )
        {
            var client = _api.CreateClient().WithToken(Token(claims));
            Assert.Equal(
                HttpStatusCode.Forbidden,
                (await client.Post($"/api/conversations/{conversation}/messages", new { from = "customer", text = "hi" })).StatusCode
            );
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/queues")).StatusCode);
        }
    }

    private string Token(Dictionary<string, object> claims, string audience = Audience) =>
        new JsonWebTokenHandler().CreateToken(
            new SecurityTokenDescriptor
            {
                Issuer = Authority,
                Audience = audience,
                Expires = DateTime.UtcNow.AddMinutes(10),
                Claims = claims,
                SigningCredentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256),
            }
        );
}
