// The page's only script, inline with the response's nonce: keeps a random device id in local storage and
// names it (with the browser's time zone as a coarse region) for this scan. The page works without it.
import { html, Html, raw } from './html';

/** The script for scan `scanId` (a UUID, checked by the caller; still JSON-encoded and escaped here). */
export function deviceScript(scanId: string): Html {
  // JSON.stringify then escaping "<" keeps the id a plain string literal whatever it holds.
  const id = JSON.stringify(scanId).replace(/</g, '\\u003c');
  return html`${raw(`(function(){try{var k='pharmatrace-device',d=localStorage.getItem(k);
if(!d||!/^[A-Za-z0-9_-]{16,64}$/.test(d)){var b=new Uint8Array(16);crypto.getRandomValues(b);d=btoa(String.fromCharCode.apply(null,b)).replace(/\\+/g,'-').replace(/\\//g,'_').replace(/=+$/,'');localStorage.setItem(k,d);}
var r=null;try{r=Intl.DateTimeFormat().resolvedOptions().timeZone||null;}catch(e){}
fetch('/scans/'+encodeURIComponent(${id})+'/device',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({deviceId:d,region:r}),credentials:'omit',referrerPolicy:'no-referrer'}).catch(function(){});
}catch(e){}})();`)}`;
}
