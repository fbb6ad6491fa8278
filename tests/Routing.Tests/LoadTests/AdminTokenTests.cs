using System.Net;
using System.Text;
using Routing.LoadTests.Targets;

namespace Routing.Tests.LoadTests;

/// <summary>Which admin token an end-to-end run against <c>--server</c> drives it with, and how it fails without one.</summary>
public sealed class AdminTokenTests
{
    private static HttpClient Server(Func<HttpRequestMessage, string, HttpResponseMessage> answer) =>
        new(new Stub(answer)) { BaseAddress = new Uri("http://127.0.0.1:5081") };

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    [Fact]
    public async Task WithoutATokenTheDevelopmentSignInGivesAnAdminsToken()
    {
        string? asked = null;
        using var http = Server(
            (request, body) =>
            {
                asked = $"{request.Method} {request.RequestUri!.AbsolutePath} {body}";
                return Json(HttpStatusCode.OK, """{"token":"dev.admin.token","workspace":"default","role":"admin"}""");
            }
        );

        var token = await AdminToken.ForServerAsync(http, null, TextWriter.Null, CancellationToken.None);

        Assert.Equal("dev.admin.token", token);
        Assert.Equal("""POST /api/auth/dev-token {"role":"admin"}""", asked);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Unauthorized)]
    public async Task WithoutATokenAServerWithoutTheDevelopmentSignInFailsAtOnceSayingToPassOne(HttpStatusCode status)
    {
        using var http = Server((_, _) => Json(status, "{}"));

        var e = await Assert.ThrowsAsync<LoadSetupException>(() =>
            AdminToken.ForServerAsync(http, null, TextWriter.Null, CancellationToken.None)
        );

        Assert.Contains("--token", e.Message, StringComparison.Ordinal);
        Assert.Contains("/api/auth/token", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAdminsTokenIsCheckedWithTheServerAndUsed()
    {
        string? authorization = null;
        using var http = Server(
            (request, _) =>
            {
                authorization = $"{request.RequestUri!.AbsolutePath} {request.Headers.Authorization}";
                return Json(HttpStatusCode.OK, """{"workspace":"default","role":"admin"}""");
            }
        );

        var token = await AdminToken.ForServerAsync(http, "given.admin.token", TextWriter.Null, CancellationToken.None);

        Assert.Equal("given.admin.token", token);
        Assert.Equal("/api/auth/me Bearer given.admin.token", authorization);
    }

    [Fact]
    public async Task ATokenThatIsNotAnAdminsOrNotValidFailsAtOnce()
    {
        using var supervisor = Server((_, _) => Json(HttpStatusCode.OK, """{"workspace":"default","role":"supervisor"}"""));
        using var expired = Server((_, _) => Json(HttpStatusCode.Unauthorized, "{}"));

        var notAdmin = await Assert.ThrowsAsync<LoadSetupException>(() =>
            AdminToken.ForServerAsync(supervisor, "a.b.c", TextWriter.Null, CancellationToken.None)
        );
        var refused = await Assert.ThrowsAsync<LoadSetupException>(() =>
            AdminToken.ForServerAsync(expired, "a.b.c", TextWriter.Null, CancellationToken.None)
        );

        Assert.Contains("supervisor", notAdmin.Message, StringComparison.Ordinal);
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
    }

    private sealed class Stub(Func<HttpRequestMessage, string, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            answer(request, request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken));
    }
}
