using TicketHub.Sandbox;
using TicketHub.Sandbox.Glpi;
using TicketHub.Sandbox.Itop;
using TicketHub.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseFrenchProblemDetails();
app.UseAntiforgery();
app.MapIndexPage();
app.MapGlpiApi();
app.MapGlpiPages();
app.MapItop();
app.MapDefaultEndpoints();

app.Run();

public partial class Program;
