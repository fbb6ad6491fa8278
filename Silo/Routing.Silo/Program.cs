using Routing.Api;
using Routing.Api.Auth;
using Routing.Api.Realtime;
using Routing.Silo;
using Routing.Silo.Observability;
using Routing.Silo.Security;

var builder = WebApplication.CreateBuilder(LaunchEnvironment.Options(args)); // `dotnet run` is Development unless told otherwise
builder.AddRoutingSilo();
builder.AddRoutingObservability();
builder.Services.AddRoutingApi();
builder.Services.AddRoutingRealtime();
builder.Services.AddRoutingAuth(builder.Configuration, builder.Environment); // outside Development, refuses to start unconfigured

var app = builder.Build();
app.UseExceptionHandler();
app.UseSecurityHeaders();
app.MapRoutingObservability(); // its HTTP metrics count the refusals below too
app.UseRequestBodyLimit();
app.UseHubOrigins();
app.MapRoutingPages(); // the pages and their assets need no credential: they sign in themselves
app.UseRoutingAuth();
app.MapRoutingApi();
app.MapRoutingHubs();
app.MapGet("/", () => Results.Redirect("/dashboard")).ExcludeFromDescription().AllowAnonymous();
app.Run();

/// <summary>The entry point, visible to the API tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
