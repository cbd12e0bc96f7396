using Eventd.Silo.Hosting;

// Settings sit beside the binary, wherever the process is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddEventdSilo();

var app = builder.Build();
app.MapSiloEndpoints();
app.Run();
