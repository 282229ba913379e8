using TicketHub.Portal;
using TicketHub.ServiceDefaults;
using TicketHub.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddHubAuthentication();
builder.AddPortal();

var app = builder.Build();

app.UsePortalPipeline();
app.UseHubAuthentication();
app.MapRazorPages();
app.MapDefaultEndpoints();

app.Run();

public partial class Program;
