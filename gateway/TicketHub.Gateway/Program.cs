using TicketHub.Gateway;
using TicketHub.Gateway.Identity;
using TicketHub.Gateway.Identity.Login;
using TicketHub.Gateway.OpenApi;
using TicketHub.Gateway.Proxy;
using TicketHub.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayIdentity();
builder.AddGateway();

var app = builder.Build();

app.UseTrustedProxies();
app.UseNoStoreOnApi();
app.UseFrenchProblemDetails();
app.UseRequestBodyLimits();
app.UseGatewayIdentity();
app.MapLoginEndpoints();
app.MapApiDocument();
app.MapReverseProxy();
app.MapUnknownApi();
app.MapDefaultEndpoints();

app.Run();

public partial class Program;
