"""A charger's FTP client, as Python's ftplib does it: one action per run, passive mode, results as JSON on stdout.

usage: ftp-client.py <host> <port> <user> <password> <tls: none|explicit> <cafile> <action> [args...]
actions: stor <local> <remote> | retr <remote> <local> | size <remote> | nlst | login
"""
import json
import ssl
import sys
from ftplib import FTP, FTP_TLS, all_errors

host, port, user, password, mode, cafile, action, *args = sys.argv[1:]
try:
    if mode == 'explicit':
        ctx = ssl.create_default_context(cafile=cafile)
        ftp = FTP_TLS(context=ctx, timeout=10)
    else:
        ftp = FTP(timeout=10)
    ftp.connect(host, int(port))
    if mode == 'explicit':
        ftp.auth()
    ftp.login(user, password)
    if mode == 'explicit':
        ftp.prot_p()
    ftp.set_pasv(True)
    out = {}
    if action == 'stor':
        with open(args[0], 'rb') as f:
            out['reply'] = ftp.storbinary('STOR ' + args[1], f)
    elif action == 'retr':
        with open(args[1], 'wb') as f:
            out['reply'] = ftp.retrbinary('RETR ' + args[0], f.write)
    elif action == 'size':
        out['size'] = ftp.size(args[0])
    elif action == 'nlst':
        out['names'] = ftp.nlst()
    ftp.quit()
    print(json.dumps({'ok': True, **out}))
except all_errors as e:
    print(json.dumps({'ok': False, 'error': str(e)}))
