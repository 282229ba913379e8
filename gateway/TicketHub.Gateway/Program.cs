using TicketHub.Gateway;
using TicketHub.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();

app.UseFrenchProblemDetails();
app.UseRequestSizeLimit();
app.MapReverseProxy();
app.MapDefaultEndpoints();

app.Run();

public partial class Program;
