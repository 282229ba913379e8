using TicketHub.Connectors.Itop;
using TicketHub.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseFrenchProblemDetails();
app.MapDefaultEndpoints();

app.Run();

public partial class Program;
