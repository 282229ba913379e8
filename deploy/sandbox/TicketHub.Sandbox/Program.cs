using TicketHub.Sandbox;
using TicketHub.Sandbox.PassOmere;
using TicketHub.Sandbox.Glpi;
using TicketHub.Sandbox.Itop;
using TicketHub.Sandbox.Mail;
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
app.MapExternalTools();
app.MapMailPages();
app.MapDefaultEndpoints();

app.Run();

public partial class Program;
