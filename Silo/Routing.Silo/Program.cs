using Routing.Api;
using Routing.Api.Realtime;
using Routing.Silo;
using Routing.Silo.Observability;
using Routing.Silo.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddRoutingSilo();
builder.AddRoutingObservability();
builder.Services.AddRoutingApi();
builder.Services.AddRoutingRealtime();

var app = builder.Build();
app.UseExceptionHandler();
app.UseSecurityHeaders();
app.MapRoutingObservability(); // its HTTP metrics count the refusals below too
app.UseRequestBodyLimit();
app.UseHubOrigins();
app.MapRoutingApi();
app.MapRoutingHubs();
app.MapRoutingPages();
app.MapGet("/", () => Results.Redirect("/dashboard")).ExcludeFromDescription();
app.Run();

/// <summary>The entry point, visible to the API tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
