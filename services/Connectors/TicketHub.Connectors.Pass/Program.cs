using TicketHub.Connectors.Shared;
using TicketHub.Connectors.Shared.Tool;
using TicketHub.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddToolConnector(ToolDescriptor.Pass);

var app = builder.Build();

app.UseFrenchProblemDetails();
app.MapDefaultEndpoints();

app.Run();

public partial class Program;
